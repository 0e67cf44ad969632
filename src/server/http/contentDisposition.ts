/**
 * `Content-Disposition: attachment` for a file name (RFC 6266): a quoted ASCII fallback, and the
 * exact name in RFC 8187 `filename*` when it is not plain ASCII. The name can never add
 * parameters or break the header: quotes, backslashes, controls and non-ASCII are replaced in
 * the fallback and percent-encoded in `filename*`.
 */
export function contentDisposition(filename: string): string {
  let fallback = '';
  let plain = true;
  for (const ch of filename) {
    const code = ch.codePointAt(0)!;
    const safe = code >= 0x20 && code < 0x7f && ch !== '"' && ch !== '\\' && ch !== '%';
    fallback += safe ? ch : '_';
    if (!safe) plain = false;
  }
  const header = `attachment; filename="${fallback}"`;
  return plain ? header : `${header}; filename*=UTF-8''${encodeRfc8187(filename)}`;
}

/** RFC 8187 value-chars: attr-char as is, every other UTF-8 byte as %XX. */
function encodeRfc8187(text: string): string {
  return encodeURIComponent(text).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
