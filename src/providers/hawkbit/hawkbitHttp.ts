import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { OtaError } from '../../core/errors';
import type { ProgressCallback } from '../../core/logger';
import { checkCredentialTarget } from '../../core/net/credentialTarget';
import type { HbExceptionInfo } from './hawkbitJson';
import { permissionFor } from './permissions';

/** Where a hawkBit server is and who we are there. The password never appears in a message. */
export interface HawkbitConnection {
  /** The server's name in the workspace config (or its URL), for messages. */
  name: string;
  url: string;
  /** With a username: HTTP Basic; without: a bearer token (hawkBit with OAuth2). */
  username?: string;
  credential: string;
  /** The reference the credential came from, e.g. `${secret:hawkbit}`: messages name it. */
  credentialRef: string;
  /** Extra CA (PEM) to trust. */
  ca?: string;
}

export interface RetryPolicy {
  /** 429 answers waited out (Retry-After) before giving up. */
  rateLimitRetries: number;
  /** Longest single wait for a Retry-After, ms. */
  maxRetryAfterMs: number;
  /** Whole-upload repeats after a connection reset mid-upload. */
  uploadRetries: number;
}

export const defaultRetryPolicy: RetryPolicy = { rateLimitRetries: 5, maxRetryAfterMs: 30_000, uploadRetries: 3 };

/** A hawkBit answer outside 2xx: the status and the ExceptionInfo `errorCode` (§1 Errors) to branch on. */
export class HawkbitApiError extends OtaError {
  constructor(
    message: string,
    readonly status: number,
    readonly errorCode: string | undefined,
    options: { where: string; hint?: string },
  ) {
    super(message, { ...options, code: `hawkbit-${status}` });
  }
}

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

type Query = Record<string, string | number | undefined>;

/**
 * HTTP to hawkBit's Management API (`/rest/v1`): JSON in and out, Basic auth, 429 backed off per
 * Retry-After, errors turned into messages a user can act on. Void operations answer 200 up to
 * 0.9.0 and 204 since 0.10.0 (§5); both are success here.
 */
export class HawkbitHttp {
  private readonly base: URL;

  constructor(
    readonly connection: HawkbitConnection,
    private readonly retry: RetryPolicy = defaultRetryPolicy,
  ) {
    try {
      this.base = new URL(connection.url.endsWith('/') ? connection.url : `${connection.url}/`);
    } catch {
      throw new OtaError(`not a URL: ${connection.url}`, { where: connection.name, hint: 'write the hawkBit URL like https://hawkbit.example.com' });
    }
    checkCredentialTarget(this.base, `the credentials of ${connection.name}`);
  }

  get origin(): string {
    return this.base.origin;
  }

  async json<T>(method: string, path: string, options: { body?: unknown; query?: Query; signal?: AbortSignal } = {}): Promise<T> {
    const data = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
    const headers: Record<string, string> = { accept: 'application/json' };
    if (data) Object.assign(headers, { 'content-type': 'application/json', 'content-length': String(data.length) });
    const reply = await this.withRateLimit(() => this.send(method, path, options.query, headers, data, options.signal), options.signal);
    if (reply.status < 200 || reply.status >= 300) throw this.failure(method, path, reply);
    return (reply.text ? JSON.parse(reply.text) : undefined) as T;
  }

  /** GET that answers undefined for 204 (`assignedDS`, `attributes` with nothing in them). */
  async optional<T>(path: string, signal?: AbortSignal): Promise<T | undefined> {
    return this.json<T | undefined>('GET', path, signal ? { signal } : {});
  }

  /**
   * Streams `file` as the multipart part `file` (§2.3), hashes as query parameters so hawkBit
   * checks the bytes. A connection reset mid-upload repeats the whole upload (hawkBit has no
   * resumable upload) up to `uploadRetries` times; `onRetry` lets the caller look first whether
   * the artifact arrived after all.
   */
  async uploadFile<T>(
    path: string,
    query: Query,
    file: { path: string; filename: string; size: number },
    options: { signal?: AbortSignal; onProgress?: ProgressCallback; onRetry?: (attempt: number, err: Error) => Promise<T | undefined> } = {},
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        const reply = await this.withRateLimit(() => this.sendMultipart(path, query, file, options.signal, options.onProgress), options.signal);
        if (reply.status < 200 || reply.status >= 300) throw this.failure('POST', path, reply);
        return JSON.parse(reply.text) as T;
      } catch (err) {
        if (err instanceof OtaError || options.signal?.aborted || !isConnectionDrop(err) || attempt >= this.retry.uploadRetries) throw err;
        const found = await options.onRetry?.(attempt + 1, err as Error);
        if (found !== undefined) return found;
      }
    }
  }

  private async withRateLimit(send: () => Promise<Reply>, signal: AbortSignal | undefined): Promise<Reply> {
    for (let attempt = 0; ; attempt++) {
      const reply = await send();
      // A quota (429 since 0.10.0) does not pass by waiting; only the request rate limit does.
      if (reply.status !== 429 || attempt >= this.retry.rateLimitRetries || parseExceptionInfo(reply.text).errorCode?.startsWith('hawkbit.server.error.quota')) return reply;
      await sleep(Math.min(retryAfterMs(reply.headers['retry-after'], attempt), this.retry.maxRetryAfterMs), signal);
    }
  }

  private failure(method: string, path: string, reply: Reply): HawkbitApiError {
    const c = this.connection;
    const where = `hawkBit server "${c.name}" (${this.base.origin})`;
    const info = parseExceptionInfo(reply.text);
    const said = info.message ?? (reply.text.slice(0, 200) || 'no message');
    const code = info.errorCode;
    const make = (message: string, hint?: string) => new HawkbitApiError(message, reply.status, code, { where, ...(hint ? { hint } : {}) });
    if (reply.status === 401) {
      return make(
        `the server rejected the credentials${c.username ? ` of user ${c.username}` : ''} (401)`,
        `check ${c.credentialRef}${c.username ? ` and the username ${c.username}` : ''} in the server's entry of .vscode/ota.json (the CLI reads \${secret:NAME} from OTA_SECRET_NAME)`,
      );
    }
    if (code?.startsWith('hawkbit.server.error.quota')) {
      // 429 since 0.10.0, 403 up to 0.9.0 (§5): a quota is not a permission.
      return make(`${method} ${path}: a hawkBit quota is exhausted: ${said}`, 'delete old artifacts, modules or metadata, or raise the quota in the tenant configuration');
    }
    if (reply.status === 403) {
      const needed = permissionFor(method, path);
      return make(
        `${c.username ?? 'this user'} may not ${method} ${path} (403${code ? ` ${code}` : ''})`,
        `grant ${needed} to ${c.username ?? 'the user'} on the hawkBit server (its roles or hawkbit.security.user.*.permissions)`,
      );
    }
    if (reply.status === 423) {
      return make(
        `${method} ${path}: the software module or distribution set is locked (423): ${said}`,
        'hawkBit locks a module and its distribution set once they are assigned or in a rollout; publish the image under a new label instead of changing that one',
      );
    }
    if (reply.status === 429) {
      return make(`${method} ${path}: the server kept answering 429 (too many requests) after ${this.retry.rateLimitRetries} waits`, 'try again later; hawkBit limits writes per client IP');
    }
    return make(`${method} ${path} failed with ${reply.status}${code ? ` ${code}` : ''}: ${said}`);
  }

  private url(path: string, query: Query | undefined): URL {
    const url = new URL(path.replace(/^\//, ''), this.base);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    return url;
  }

  private authorization(): string {
    const c = this.connection;
    return c.username ? `Basic ${Buffer.from(`${c.username}:${c.credential}`).toString('base64')}` : `Bearer ${c.credential}`;
  }

  private send(method: string, path: string, query: Query | undefined, headers: Record<string, string>, body: Buffer | undefined, signal: AbortSignal | undefined): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const req = this.request(method, this.url(path, query), headers, signal, resolve, reject);
      req.end(body);
    });
  }

  private sendMultipart(path: string, query: Query, file: { path: string; filename: string; size: number }, signal: AbortSignal | undefined, onProgress: ProgressCallback | undefined): Promise<Reply> {
    const boundary = `----ota-workbench-${randomBytes(12).toString('hex')}`;
    const safeName = file.filename.replace(/["\r\n]/g, '_');
    const head = Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${safeName}"\r\ncontent-type: application/octet-stream\r\n\r\n`);
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const headers = {
      accept: 'application/json',
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'content-length': String(head.length + file.size + tail.length),
    };
    return new Promise((resolve, reject) => {
      const req = this.request('POST', this.url(path, query), headers, signal, resolve, reject);
      const stream = createReadStream(file.path);
      let sent = 0;
      let reported = -1;
      const step = Math.max(64 * 1024, Math.ceil(file.size / 100));
      stream.on('data', (chunk: Buffer | string) => {
        sent += chunk.length;
        if (sent === file.size || sent - reported >= step) {
          reported = sent;
          onProgress?.({ message: `uploading ${file.filename}`, done: sent, total: file.size });
        }
      });
      stream.on('error', (err) => req.destroy(err));
      req.on('close', () => stream.destroy());
      req.write(head);
      stream.pipe(req, { end: false });
      stream.on('end', () => req.end(tail));
    });
  }

  private request(method: string, url: URL, headers: Record<string, string>, signal: AbortSignal | undefined, resolve: (r: Reply) => void, reject: (e: unknown) => void): http.ClientRequest {
    const mod = url.protocol === 'https:' ? https : http;
    const req = mod.request(url, { method, headers: { ...headers, authorization: this.authorization() }, ...(signal ? { signal } : {}), ...(this.connection.ca ? { ca: this.connection.ca } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNREFUSED') reject(new OtaError(`cannot reach the hawkBit server at ${this.base.origin}`, { where: this.connection.name, hint: 'check its url in .vscode/ota.json and that hawkBit is running', cause: err }));
      else reject(err);
    });
    return req;
  }
}

/** 401 and some 404s come without an ExceptionInfo (§1, §2.7): an empty one then. */
function parseExceptionInfo(text: string): HbExceptionInfo {
  try {
    const parsed: unknown = text ? JSON.parse(text) : {};
    return parsed && typeof parsed === 'object' ? (parsed as HbExceptionInfo) : {};
  } catch {
    return {};
  }
}

function isConnectionDrop(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED' || (err instanceof Error && /socket hang up/.test(err.message));
}

/** Retry-After in seconds or as an HTTP date; without one, 1 s doubling per attempt. */
export function retryAfterMs(header: string | string[] | undefined, attempt: number): number {
  const value = Array.isArray(header) ? header[0] : header;
  if (value !== undefined) {
    if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
    const at = Date.parse(value);
    if (!Number.isNaN(at)) return Math.max(0, at - Date.now());
  }
  return 1000 * 2 ** attempt;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
