import { DoubleError } from './validate';

export interface MultipartFile {
  field: string;
  filename: string | undefined;
  data: Buffer;
  fields: Record<string, string>;
}

/**
 * Reads a whole multipart/form-data body (§2.3: the part named `file`, optional text fields
 * `filename`, `md5sum`, `sha1sum`, `sha256sum`). A missing `file` part is a 400 as in hawkBit.
 */
export function parseMultipart(contentType: string | undefined, body: Buffer): MultipartFile {
  const m = /^multipart\/form-data;\s*boundary=("?)([^";]+)\1/i.exec(contentType ?? '');
  if (!m) throw new DoubleError(400, undefined, `expected multipart/form-data, got ${contentType ?? 'no content-type'}`);
  const delimiter = Buffer.from(`--${m[2]}`);
  const parts: Buffer[] = [];
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const next = body.indexOf(delimiter, at + delimiter.length);
    if (next < 0) break;
    parts.push(body.subarray(at + delimiter.length + 2, next - 2));
    at = next;
  }
  if (at < 0 || body.subarray(at + delimiter.length, at + delimiter.length + 2).toString() !== '--') throw new DoubleError(400, undefined, 'multipart body without its closing delimiter');
  let file: { field: string; filename: string | undefined; data: Buffer } | undefined;
  const fields: Record<string, string> = {};
  for (const part of parts) {
    const split = part.indexOf('\r\n\r\n');
    const head = part.subarray(0, split).toString('utf8');
    const data = part.subarray(split + 4);
    const name = /name="([^"]*)"/i.exec(head)?.[1];
    const filename = /filename="([^"]*)"/i.exec(head)?.[1];
    if (name === 'file') file = { field: name, filename, data };
    else if (name) fields[name] = data.toString('utf8');
  }
  if (!file) throw new DoubleError(400, undefined, `no multipart part named "file" (parts: ${parts.map((p) => /name="([^"]*)"/.exec(p.toString('latin1', 0, 200))?.[1]).join(', ')})`);
  return { ...file, fields };
}
