import type * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import type { HostNotification, HostRequests, HostToWebview, WebviewCommand, WebviewRequests, WebviewToHost } from '../../../webview/protocol';

type RequestHandlers = { [K in keyof WebviewRequests]: (params: WebviewRequests[K]['params']) => Promise<WebviewRequests[K]['result']> };

/** How long the host waits for the webview to answer a request (it may be hidden or still loading). */
const requestTimeoutMs = 10_000;

/** The host end of the typed message protocol in webview/protocol.ts. */
export class HostMessenger {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();

  constructor(
    private readonly webview: vscode.Webview,
    private readonly handlers: { onCommand: (command: WebviewCommand) => void; requests: RequestHandlers },
  ) {}

  notify(notification: HostNotification): Thenable<boolean> {
    return this.post({ kind: 'notification', ...notification } as HostToWebview);
  }

  request<K extends keyof HostRequests>(method: K, params: HostRequests[K]['params']): Promise<HostRequests[K]['result']> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`the live view did not answer "${method}" within ${requestTimeoutMs / 1000} s`));
      }, requestTimeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      void this.post({ kind: 'request', id, method, params });
    });
  }

  /** Everything the webview posts comes through here. */
  async receive(message: WebviewToHost): Promise<void> {
    if (message.kind === 'command') {
      this.handlers.onCommand(message);
    } else if (message.kind === 'response') {
      const waiting = this.pending.get(message.id);
      if (!waiting) return;
      this.pending.delete(message.id);
      clearTimeout(waiting.timer);
      if (message.ok) waiting.resolve(message.result);
      else waiting.reject(new Error(message.error));
    } else if (message.kind === 'request') {
      try {
        const result = await this.handlers.requests[message.method](message.params);
        await this.post({ kind: 'response', id: message.id, ok: true, result });
      } catch (err) {
        await this.post({ kind: 'response', id: message.id, ok: false, error: describeError(err) });
      }
    }
  }

  dispose(): void {
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new Error('the live view was closed'));
    }
    this.pending.clear();
  }

  private post(message: HostToWebview): Thenable<boolean> {
    return this.webview.postMessage(message);
  }
}
