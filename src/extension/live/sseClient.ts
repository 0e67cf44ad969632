import * as http from 'node:http';
import * as https from 'node:https';
import type { ServerEvent } from '../../core/protocol/management';
import { managementPaths } from '../../core/protocol/management';
import { readSseBlock, sseBlockSplitter } from '../../core/protocol/sseBlock';

export interface SseHandlers {
  onOpen(): void;
  onEvent(event: ServerEvent): void;
  /** The stream ended or failed; the client retries after `retryMs` unless aborted. */
  onDrop(reason: string, retryMs: number): void;
  /**
   * Runs before each reconnect (the live view takes a fresh status snapshot: progress ticks are
   * not in the server's replay). A rejection counts as another drop. The `Last-Event-ID` stays
   * valid across a server restart: the server's ids keep growing from run to run.
   */
  beforeReconnect?(): Promise<void>;
}

/**
 * Reads the management API's Server-Sent Events stream (`/api/v1/events`) with the bearer token,
 * and reconnects after a drop with `Last-Event-ID`, so the server replays what was missed.
 * Node has no EventSource that sends headers, and the stream format is a few lines to parse.
 */
export class SseClient {
  private lastId = 0;
  private retryMs = 2000;
  private request: http.ClientRequest | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly handlers: SseHandlers,
    private readonly ca?: string,
  ) {}

  start(signal: AbortSignal): void {
    signal.addEventListener('abort', () => this.stop(), { once: true });
    if (!signal.aborted) this.connect(signal);
  }

  private stop(): void {
    clearTimeout(this.timer);
    this.request?.destroy();
    this.request = undefined;
  }

  private connect(signal: AbortSignal): void {
    const url = new URL(managementPaths.events, this.baseUrl);
    const mod = url.protocol === 'https:' ? https : http;
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}`, accept: 'text/event-stream' };
    if (this.lastId > 0) headers['last-event-id'] = String(this.lastId);
    let dropped = false;
    const drop = (reason: string) => {
      if (dropped || signal.aborted) return;
      dropped = true;
      this.request?.destroy();
      this.handlers.onDrop(reason, this.retryMs);
      this.timer = setTimeout(() => void this.reconnect(signal), this.retryMs);
    };
    const req = mod.request(url, { headers, ...(this.ca ? { ca: this.ca } : {}) }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        drop(res.statusCode === 401 ? 'the server refused the management token (401)' : `the event stream answered ${res.statusCode}`);
        return;
      }
      this.handlers.onOpen();
      res.setEncoding('utf8');
      res.on('data', sseBlockSplitter((block) => this.dispatch(block)));
      res.on('end', () => drop('the server closed the event stream'));
      res.on('error', (err) => drop(err.message));
    });
    req.on('error', (err: NodeJS.ErrnoException) => drop(err.code === 'ECONNREFUSED' ? `nothing listens on ${url.origin}` : err.message));
    req.end();
    this.request = req;
  }

  private async reconnect(signal: AbortSignal): Promise<void> {
    if (this.handlers.beforeReconnect) {
      try {
        await this.handlers.beforeReconnect();
      } catch (err) {
        if (signal.aborted) return;
        this.handlers.onDrop(err instanceof Error ? err.message : String(err), this.retryMs);
        this.timer = setTimeout(() => void this.reconnect(signal), this.retryMs);
        return;
      }
    }
    if (!signal.aborted) this.connect(signal);
  }

  private dispatch(block: string): void {
    const { id, retryMs, event } = readSseBlock(block);
    if (retryMs !== undefined) this.retryMs = retryMs;
    if (id !== undefined) this.lastId = id;
    // `at` is the server's time of the event, so a replayed backlog shows when things happened.
    if (event) this.handlers.onEvent(event);
  }

}
