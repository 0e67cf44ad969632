/**
 * RFC 9110 §13 preconditions for a stored representation, as a pure decision: the order of
 * §13.2.2 (If-Match, else If-Unmodified-Since; then If-None-Match, else If-Modified-Since for
 * GET/HEAD). Range and If-Range come after, in the caller.
 */
export type Precondition = 'proceed' | 'not-modified' | 'failed';

export interface ConditionalHeaders {
  ifMatch?: string | undefined;
  ifNoneMatch?: string | undefined;
  ifModifiedSince?: string | undefined;
  ifUnmodifiedSince?: string | undefined;
}

/** `etag` is the strong, quoted validator; `lastModified` the representation's time. */
export function evaluatePreconditions(method: string, h: ConditionalHeaders, etag: string, lastModified: Date): Precondition {
  const readOnly = method === 'GET' || method === 'HEAD';
  // HTTP dates have one-second resolution: compare whole seconds.
  const modifiedSec = Math.floor(lastModified.getTime() / 1000);
  if (h.ifMatch !== undefined) {
    if (!listMatches(h.ifMatch, etag, 'strong')) return 'failed';
  } else if (h.ifUnmodifiedSince !== undefined) {
    const since = httpDateSeconds(h.ifUnmodifiedSince);
    if (since !== undefined && modifiedSec > since) return 'failed';
  }
  if (h.ifNoneMatch !== undefined) {
    if (listMatches(h.ifNoneMatch, etag, 'weak')) return readOnly ? 'not-modified' : 'failed';
  } else if (readOnly && h.ifModifiedSince !== undefined) {
    const since = httpDateSeconds(h.ifModifiedSince);
    if (since !== undefined && modifiedSec <= since) return 'not-modified';
  }
  return 'proceed';
}

const entityTag = /(W\/)?"[\x21\x23-\x7e\x80-\xff]*"/g;

/**
 * `*` matches any current representation; otherwise a list of entity-tags. Strong comparison
 * (If-Match) needs both tags strong and equal; weak comparison (If-None-Match) ignores `W/`.
 */
function listMatches(header: string, etag: string, comparison: 'strong' | 'weak'): boolean {
  if (header.trim() === '*') return true;
  const ours = etag.startsWith('W/') ? etag.slice(2) : etag;
  for (const m of header.matchAll(entityTag)) {
    const weak = m[1] !== undefined;
    const tag = weak ? m[0].slice(2) : m[0];
    if (tag !== ours) continue;
    if (comparison === 'weak' || (!weak && !etag.startsWith('W/'))) return true;
  }
  return false;
}

/** An HTTP date as whole seconds, or undefined when it is not a date (the header is then ignored). */
function httpDateSeconds(text: string): number | undefined {
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}
