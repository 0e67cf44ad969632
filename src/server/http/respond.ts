import type { IncomingMessage, ServerResponse } from 'node:http';
import { OtaError } from '../../core/errors';
import type { ApiError } from '../../core/protocol/management';

const statusByCode: Record<string, number> = {
  'bad-request': 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  'method-not-allowed': 405,
  conflict: 409,
  'offset-mismatch': 409,
  gone: 410,
  'too-large': 413,
  'unsupported-media-type': 415,
  'misdirected': 421,
  'too-many-requests': 429,
  'hash-mismatch': 422,
  'disk-full': 507,
  /** A stored artifact no longer has its sha256: the server cannot serve it until it is uploaded again. */
  'artifact-corrupt': 503,
};

export function httpError(status: keyof typeof statusNames, message: string, hint?: string): OtaError {
  return new OtaError(message, { code: statusNames[status], ...(hint ? { hint } : {}) });
}

const statusNames = { 400: 'bad-request', 401: 'unauthorized', 403: 'forbidden', 404: 'not-found', 405: 'method-not-allowed', 409: 'conflict', 413: 'too-large', 415: 'unsupported-media-type' } as const;

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const data = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': data.length, 'Cache-Control': 'no-store', ...headers });
  res.end(data);
}

export function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  const data = Buffer.from(text, 'utf8');
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': data.length, ...headers });
  res.end(data);
}

/**
 * Answers an error as JSON with the status its code maps to. Unknown errors are 500 with a
 * generic message (the details go to the log, not to the client).
 */
export function sendError(res: ServerResponse, err: unknown, onUnexpected: (err: unknown) => void): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const status = err instanceof OtaError ? (statusByCode[err.code ?? ''] ?? 500) : 500;
  if (status === 500) onUnexpected(err);
  const body: ApiError = status === 500 || !(err instanceof OtaError) ? { error: 'internal server error' } : { error: err.message, ...(err.hint ? { hint: err.hint } : {}) };
  const headers: Record<string, string> = status === 401 && !res.hasHeader('WWW-Authenticate') ? { 'WWW-Authenticate': 'Bearer realm="ota"' } : {};
  // A device over a quota should back off, not hammer: most HTTP clients honour Retry-After.
  if (status === 429) headers['Retry-After'] = '60';
  // A body we did not read must not be taken for the next request on this connection.
  if (!requestFullyRead(res.req)) headers.Connection = 'close';
  sendJson(res, status, body, headers);
}

function requestFullyRead(req: IncomingMessage): boolean {
  return req.complete || (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined);
}

/** Reads a JSON body of at most `limit` bytes: 413 when larger, 400 naming the parse error. */
export async function readJson(req: IncomingMessage, limit = 1024 * 1024): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw httpError(413, `the request body is ${declared} bytes; at most ${limit} are accepted here`);
  // Required, not assumed: a page can post text/plain without a CORS preflight, never application/json.
  const type = req.headers['content-type'];
  if (type === undefined || !/^application\/(.+\+)?json\b/i.test(type)) {
    throw httpError(415, `expected Content-Type application/json, got ${type === undefined ? 'none' : type.slice(0, 100)}`, 'send the body as JSON with Content-Type: application/json');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw httpError(413, `the request body is larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw httpError(400, 'the request body is empty; a JSON document was expected');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw httpError(400, `the request body is not valid JSON: ${(err as Error).message}`);
  }
}
