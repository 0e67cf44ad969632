import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ByteRange } from '../../core/http/range';
import { evaluatePreconditions } from '../../core/http/conditional';
import { contentRange, rangesFor, unsatisfiedContentRange } from '../../core/http/range';

/** A stored file as the download routes see it. */
export interface ServedFile {
  path: string;
  size: number;
  /** Strong validator, quoted, e.g. `"<sha256>"`. */
  etag: string;
  mtime: Date;
  /** `mtime` as an HTTP date, when the caller has it at hand (saves formatting per request). */
  lastModified?: string;
  contentType: string;
  /** The whole file when it is held in memory; otherwise it is streamed from `path`. */
  data?: Buffer | undefined;
}

/** Lets the caller turn bytes on the wire into session progress. */
export interface TransferObserver {
  /** `count` bytes starting at file offset `offset` were handed to the socket. */
  onBytes(offset: number, count: number): void;
  /** The response ended; `complete` is false when the client went away first. */
  onEnd(complete: boolean): void;
}

const chunkSize = 64 * 1024;

/**
 * Answers a GET or HEAD for `file` with preconditions (If-Match → 412, If-None-Match or
 * If-Modified-Since → 304, RFC 9110 §13) and Range done right: single and multiple ranges, suffix
 * ranges, If-Range with the ETag (or the exact Last-Modified date), 416 with `bytes *\/LEN`,
 * never chunked (esp_https_ota and Arduino need Content-Length), and the file stream destroyed
 * when the client aborts (pipeline does that).
 *
 * Returns nothing when the answer went out at once (a range of a file held in memory, a 416, a
 * HEAD) and a promise while a body is still streaming: a device fetching its image in 4 KiB
 * chunks then costs no promise per chunk.
 */
export function sendFile(req: IncomingMessage, res: ServerResponse, file: ServedFile, observer?: TransferObserver): Promise<void> | void {
  const lastModified = file.lastModified ?? file.mtime.toUTCString();
  // A 206 repeats only what RFC 9110 §15.3.7 asks of it (ETag); Accept-Ranges and Last-Modified
  // go on the 200. Every header costs on the hot path of small Range requests.
  const headers: OutgoingHttpHeaders = { ETag: file.etag };

  const h = req.headers;
  if (h['if-match'] !== undefined || h['if-none-match'] !== undefined || h['if-modified-since'] !== undefined || h['if-unmodified-since'] !== undefined) {
    const verdict = evaluatePreconditions(
      req.method ?? 'GET',
      { ifMatch: headerValue(h['if-match']), ifNoneMatch: headerValue(h['if-none-match']), ifModifiedSince: h['if-modified-since'], ifUnmodifiedSince: h['if-unmodified-since'] },
      file.etag,
      file.mtime,
    );
    if (verdict !== 'proceed') {
      // 304 repeats the validators a 200 would carry (RFC 9110 §15.4.5); 412 has no body either.
      if (verdict === 'not-modified') headers['Last-Modified'] = lastModified;
      else headers['Content-Length'] = 0;
      res.writeHead(verdict === 'not-modified' ? 304 : 412, headers).end();
      observer?.onEnd(true);
      return;
    }
  }

  let ranges: readonly ByteRange[] | undefined;
  const rangeHeader = req.headers.range;
  if (rangeHeader !== undefined && rangeApplies(headerValue(req.headers['if-range']), file.etag, lastModified)) {
    const resolved = rangesFor(rangeHeader, file.size);
    if (resolved?.kind === 'unsatisfiable') {
      headers['Accept-Ranges'] = 'bytes';
      headers['Content-Range'] = unsatisfiedContentRange(file.size);
      headers['Content-Length'] = 0;
      res.writeHead(416, headers).end();
      observer?.onEnd(true);
      return;
    }
    ranges = resolved?.ranges;
  }

  const head = req.method === 'HEAD';
  if (ranges === undefined) {
    headers['Accept-Ranges'] = 'bytes';
    headers['Last-Modified'] = lastModified;
    headers['Content-Type'] = file.contentType;
    headers['Content-Length'] = file.size;
    res.writeHead(200, headers);
    return send(res, head || file.size === 0 ? [] : [{ prefix: undefined, range: { start: 0, end: file.size - 1 } }], file, observer);
  }

  if (ranges.length === 1) {
    const only = ranges[0]!;
    headers['Content-Type'] = file.contentType;
    headers['Content-Range'] = contentRange(only, file.size);
    headers['Content-Length'] = only.end - only.start + 1;
    res.writeHead(206, headers);
    return send(res, head ? [] : [{ prefix: undefined, range: only }], file, observer);
  }

  const boundary = randomBytes(12).toString('hex');
  const parts = ranges.map((range, i) => ({
    prefix: Buffer.from(`${i === 0 ? '' : '\r\n'}--${boundary}\r\nContent-Type: ${file.contentType}\r\nContent-Range: ${contentRange(range, file.size)}\r\n\r\n`, 'latin1'),
    range,
  }));
  const trailer = Buffer.from(`\r\n--${boundary}--\r\n`, 'latin1');
  headers['Content-Type'] = `multipart/byteranges; boundary=${boundary}`;
  headers['Content-Length'] = parts.reduce((n, p) => n + p.prefix.length + p.range.end - p.range.start + 1, trailer.length);
  res.writeHead(206, headers);
  return send(res, head ? [] : parts, file, observer, trailer);
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** If-Range: a strong ETag match or the exact Last-Modified date keeps the Range; anything else asks for the whole file. */
function rangeApplies(ifRange: string | undefined, etag: string, lastModified: string): boolean {
  if (ifRange === undefined) return true;
  const value = ifRange.trim();
  if (value.startsWith('W/')) return false;
  if (value.startsWith('"')) return value === etag;
  return value === lastModified;
}

interface Part {
  prefix: Buffer | undefined;
  range: ByteRange;
}

function send(res: ServerResponse, parts: readonly Part[], file: ServedFile, observer: TransferObserver | undefined, trailer?: Buffer): Promise<void> | void {
  if (parts.length === 0) {
    res.end();
    observer?.onEnd(true);
    return;
  }
  const data = file.data;
  if (data && !observer && parts.length === 1 && !parts[0]!.prefix) {
    // The hot path (a Range GET of a cached image): one write, the kernel copies from our buffer.
    const { start, end } = parts[0]!.range;
    res.end(data.subarray(start, end + 1));
    return;
  }
  return stream(res, parts, file, observer, trailer);
}

async function stream(res: ServerResponse, parts: readonly Part[], file: ServedFile, observer: TransferObserver | undefined, trailer?: Buffer): Promise<void> {
  const data = file.data;
  async function* body(): AsyncGenerator<Buffer> {
    for (const part of parts) {
      if (part.prefix) yield part.prefix;
      let offset = part.range.start;
      const chunks: Iterable<Buffer> | AsyncIterable<Buffer> = data
        ? slices(data, part.range.start, part.range.end + 1)
        : // Destroyed by the generator's return() when pipeline tears down on a client abort.
          createReadStream(file.path, { start: part.range.start, end: part.range.end, highWaterMark: chunkSize });
      for await (const chunk of chunks) {
        yield chunk;
        observer?.onBytes(offset, chunk.length);
        offset += chunk.length;
      }
    }
    if (trailer) yield trailer;
  }
  try {
    await pipeline(Readable.from(body(), { objectMode: false }), res);
    observer?.onEnd(true);
  } catch {
    // The client went away (or the file vanished mid-send): nothing more can be said on this
    // response; the observer records the partial transfer so the session can resume.
    observer?.onEnd(false);
    res.destroy();
  }
}

function* slices(data: Buffer, start: number, end: number): Generator<Buffer> {
  for (let at = start; at < end; at += chunkSize) yield data.subarray(at, Math.min(end, at + chunkSize));
}
