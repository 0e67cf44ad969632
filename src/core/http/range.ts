/**
 * HTTP Range (RFC 9110 §14) as two pure steps: `parseRange` turns the header into specs,
 * `resolveRanges` turns specs plus the representation size into byte ranges or "unsatisfiable".
 * Keeping them pure lets the fuzz test check every route against the same rules.
 */

/** One range-spec as written by the client, before the size is known. */
export type RangeSpec =
  | { readonly kind: 'bounded'; readonly start: bigint; readonly end: bigint }
  | { readonly kind: 'open-ended'; readonly start: bigint }
  | { readonly kind: 'suffix'; readonly length: bigint };

/**
 * `ignore`: not a byte range we understand (other unit, bad syntax, too many ranges); RFC 9110
 * lets a server ignore such a header and send the whole representation with 200.
 */
export type ParsedRange = { readonly kind: 'ignore'; readonly reason: string } | { readonly kind: 'ranges'; readonly specs: readonly RangeSpec[] };

/** Inclusive byte positions, both within [0, size). */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

export type ResolvedRange = { readonly kind: 'satisfiable'; readonly ranges: readonly ByteRange[] } | { readonly kind: 'unsatisfiable' };

/**
 * More ranges than this and we send the whole file instead: a header of thousands of tiny
 * overlapping ranges costs the server far more than it saves the client. Real clients ask for
 * one (esp_https_ota, Arduino, curl) or a few.
 */
export const maxRanges = 16;

const boundedOrOpen = /^(\d+)-(\d*)$/;
const suffix = /^-(\d+)$/;

export function parseRange(header: string): ParsedRange {
  const eq = header.indexOf('=');
  if (eq < 0) return { kind: 'ignore', reason: 'no range unit' };
  // The unit is a case-insensitive token; whitespace around it is not allowed by the grammar.
  if (header.slice(0, eq).toLowerCase() !== 'bytes') return { kind: 'ignore', reason: 'unit is not bytes' };
  const specs: RangeSpec[] = [];
  for (const raw of header.slice(eq + 1).split(',')) {
    // List syntax (RFC 9110 §5.6.1): optional whitespace around elements, empty elements tolerated.
    const item = raw.replace(/^[ \t]+|[ \t]+$/g, '');
    if (item === '') continue;
    const m = boundedOrOpen.exec(item);
    if (m) {
      const start = BigInt(m[1]!);
      specs.push(m[2] === '' ? { kind: 'open-ended', start } : { kind: 'bounded', start, end: BigInt(m[2]!) });
    } else {
      const s = suffix.exec(item);
      if (!s) return { kind: 'ignore', reason: `malformed range '${item.slice(0, 40)}'` };
      specs.push({ kind: 'suffix', length: BigInt(s[1]!) });
    }
    if (specs.length > maxRanges) return { kind: 'ignore', reason: `more than ${maxRanges} ranges` };
  }
  if (specs.length === 0) return { kind: 'ignore', reason: 'empty range set' };
  return { kind: 'ranges', specs };
}

/**
 * Resolves specs against `size`. A bounded end at or past the last byte is clamped (esp_https_ota
 * asks for one past the end on its last chunk); a start at or past `size`, an end before its start
 * and a zero-length suffix are unsatisfiable. Satisfiable ranges keep the client's order; the
 * unsatisfiable ones are dropped, and only when none remain is the answer 416. Overlapping or
 * touching ranges are merged (see `coalesce`).
 */
export function resolveRanges(specs: readonly RangeSpec[], size: number): ResolvedRange {
  const total = BigInt(size);
  const ranges: ByteRange[] = [];
  for (const spec of specs) {
    let start: bigint;
    let end: bigint;
    switch (spec.kind) {
      case 'bounded':
        if (spec.end < spec.start) continue;
        start = spec.start;
        end = spec.end < total ? spec.end : total - 1n;
        break;
      case 'open-ended':
        start = spec.start;
        end = total - 1n;
        break;
      case 'suffix':
        if (spec.length === 0n) continue;
        start = spec.length >= total ? 0n : total - spec.length;
        end = total - 1n;
        break;
    }
    if (start >= total) continue;
    ranges.push({ start: Number(start), end: Number(end) });
  }
  if (ranges.length === 0) return { kind: 'unsatisfiable' };
  return { kind: 'satisfiable', ranges: coalesce(ranges) };
}

/**
 * Ranges that overlap or touch are answered as their union, in file order (RFC 9110 §14.2 lets a
 * server coalesce them): four `bytes=0-` ranges must not send the file four times. Disjoint
 * ranges keep the client's order. Either way no answer carries more than the file's bytes.
 */
function coalesce(ranges: ByteRange[]): ByteRange[] {
  if (ranges.length < 2) return ranges;
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const merged: { start: number; end: number }[] = [{ ...sorted[0]! }];
  for (const r of sorted.slice(1)) {
    const last = merged[merged.length - 1]!;
    if (r.start <= last.end + 1) last.end = Math.max(last.end, r.end);
    else merged.push({ ...r });
  }
  return merged.length === ranges.length ? ranges : merged;
}

/** `bytes=N-M` or `bytes=N-` with positions short enough to be exact as numbers. */
const singleRange = /^bytes=(\d{1,15})-(\d{0,15})$/;

/**
 * Parses and resolves in one step: undefined when the header is to be ignored (send the whole
 * file). The one-range form that esp_https_ota, Arduino and curl send takes a short path (no
 * BigInt, no list splitting: it runs once per 4 KiB chunk); anything else goes through
 * `parseRange` and `resolveRanges`, and both paths give the same answer.
 */
export function rangesFor(header: string, size: number): ResolvedRange | undefined {
  const m = singleRange.exec(header);
  if (m) {
    const start = Number(m[1]);
    const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
    if (start >= size || (m[2] !== '' && Number(m[2]) < start)) return { kind: 'unsatisfiable' };
    return { kind: 'satisfiable', ranges: [{ start, end }] };
  }
  const parsed = parseRange(header);
  return parsed.kind === 'ranges' ? resolveRanges(parsed.specs, size) : undefined;
}

/** `Content-Range` value for a 206 part. */
export function contentRange(range: ByteRange, size: number): string {
  return `bytes ${range.start}-${range.end}/${size}`;
}

/** `Content-Range` value for a 416. */
export function unsatisfiedContentRange(size: number): string {
  return `bytes */${size}`;
}
