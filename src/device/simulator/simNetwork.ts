import * as http from 'node:http';
import * as https from 'node:https';
import { OtaError } from '../../core/errors';

/** The device's link went away (a simulated drop or power cut); nothing reached the server. */
export class NetworkDown extends Error {
  constructor(message = 'network down') {
    super(message);
    this.name = 'NetworkDown';
  }
}

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface SimNetworkOptions {
  /** Download cap in bytes/s (the seed's 20 kbps is 2500); unlimited when absent. */
  bytesPerSecond?: number;
  /** Trust this CA for https:// servers (the local server's CA). */
  caPem?: string;
  /** A request with no byte for this long fails (default 30 s), like an embedded HTTP client's timeout. */
  idleTimeoutMs?: number;
}

/**
 * One device's network: HTTP requests that can be cut (drop, power loss), a shared bandwidth cap,
 * and nothing kept in memory beyond the chunk being handed over.
 */
export class SimNetwork {
  private downUntil = 0;
  private readonly live = new Set<http.ClientRequest>();
  /** Token-bucket state: the time at which the next byte may be delivered. */
  private nextFree = 0;

  constructor(private readonly options: SimNetworkOptions = {}) {}

  get isDown(): boolean {
    return Date.now() < this.downUntil;
  }

  /** Cuts every connection now and refuses new ones for `ms` (Infinity: until `up()`). */
  down(ms: number): void {
    this.downUntil = Math.max(this.downUntil, ms === Infinity ? Number.MAX_SAFE_INTEGER : Date.now() + ms);
    for (const req of this.live) req.destroy(new NetworkDown());
    this.live.clear();
  }

  up(): void {
    this.downUntil = 0;
  }

  /** Resolves when the link is back (immediately if it is up). */
  async waitUntilUp(signal: AbortSignal): Promise<void> {
    while (this.isDown) await sleep(Math.min(this.downUntil - Date.now(), 1000), signal);
  }

  setBandwidth(bytesPerSecond: number | undefined): void {
    this.options.bytesPerSecond = bytesPerSecond;
  }

  /** A small request with a JSON (or empty) body, answered in full. */
  async request(method: string, url: string, body: unknown, signal: AbortSignal, headers: Record<string, string> = {}): Promise<HttpAnswer> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const chunks: Buffer[] = [];
    let size = 0;
    const res = await this.send(method, url, signal, payload ? { ...headers, 'Content-Type': 'application/json', 'Content-Length': String(payload.length) } : headers, payload, async (chunk) => {
      size += chunk.length;
      if (size > 1024 * 1024) throw new OtaError(`${method} ${url}: answer larger than 1 MB`);
      chunks.push(chunk);
    }, false);
    return { ...res, body: Buffer.concat(chunks) };
  }

  /**
   * Streams a body to `onChunk`, throttled to the bandwidth cap. `onChunk` may throw to cut the
   * transfer (a simulated fault at a byte offset); the connection is then destroyed, as a real
   * device's would be.
   */
  async download(
    url: string,
    signal: AbortSignal,
    headers: Record<string, string>,
    onChunk: (chunk: Buffer) => Promise<void>,
    onHead?: (head: Omit<HttpAnswer, 'body'>) => Promise<void>,
  ): Promise<Omit<HttpAnswer, 'body'>> {
    return this.send('GET', url, signal, headers, undefined, onChunk, true, onHead);
  }

  private send(
    method: string,
    url: string,
    signal: AbortSignal,
    headers: Record<string, string>,
    payload: Buffer | undefined,
    onChunk: (chunk: Buffer) => Promise<void>,
    throttled: boolean,
    onHead?: (head: Omit<HttpAnswer, 'body'>) => Promise<void>,
  ): Promise<Omit<HttpAnswer, 'body'>> {
    if (this.isDown) return Promise.reject(new NetworkDown());
    signal.throwIfAborted();
    const target = new URL(url);
    const lib = target.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (err: Error | undefined, value?: Omit<HttpAnswer, 'body'>) => {
        if (settled) return;
        settled = true;
        this.live.delete(req);
        signal.removeEventListener('abort', onAbort);
        if (err) {
          req.destroy();
          reject(err);
        } else resolve(value!);
      };
      const onAbort = () => finish(signal.reason instanceof Error ? signal.reason : new OtaError('cancelled'));
      const req = lib.request(
        target,
        { method, headers: { 'User-Agent': 'ota-workbench-simulator', ...headers }, agent: false, ...(this.options.caPem ? { ca: this.options.caPem } : {}) },
        (res) => {
          const answer = { status: res.statusCode ?? 0, headers: res.headers };
          // The body waits until the caller has looked at the status (and, say, opened a file).
          let queue = (onHead ? onHead(answer) : Promise.resolve()).catch((err: unknown) => finish(err instanceof Error ? err : new Error(String(err))));
          res.on('data', (chunk: Buffer) => {
            res.pause();
            queue = queue
              .then(async () => {
                if (throttled && this.options.bytesPerSecond) {
                  // Our own slowness is not the server's silence: no idle timeout while we hold bytes back.
                  req.setTimeout(0);
                  await this.throttle(chunk.length, signal);
                  armIdleTimeout();
                }
                await onChunk(chunk);
                if (!settled) res.resume();
              })
              .catch((err: unknown) => finish(err instanceof Error ? err : new Error(String(err))));
          });
          res.on('end', () => void queue.then(() => finish(undefined, answer)));
          res.on('error', (err) => finish(this.isDown ? new NetworkDown() : err));
          res.on('aborted', () => finish(this.isDown ? new NetworkDown() : new Error(`${method} ${url}: the server closed the connection mid-body`)));
        },
      );
      this.live.add(req);
      const idleMs = this.options.idleTimeoutMs ?? 30_000;
      const armIdleTimeout = () => req.setTimeout(idleMs, () => finish(new Error(`${method} ${url}: no answer for ${idleMs / 1000} s`)));
      armIdleTimeout();
      req.on('error', (err) => finish(err instanceof NetworkDown || this.isDown ? new NetworkDown() : err));
      signal.addEventListener('abort', onAbort, { once: true });
      req.end(payload);
    });
  }

  /** Delays delivery so the average rate stays under the cap (the sender feels TCP backpressure). */
  private async throttle(bytes: number, signal: AbortSignal): Promise<void> {
    const rate = this.options.bytesPerSecond;
    if (!rate) return;
    const now = Date.now();
    this.nextFree = Math.max(this.nextFree, now) + (bytes * 1000) / rate;
    const wait = this.nextFree - now;
    if (wait > 1) await sleep(wait, signal);
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason instanceof Error ? signal.reason : new OtaError('cancelled'));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason instanceof Error ? signal.reason : new OtaError('cancelled'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
