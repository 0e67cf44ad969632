import type { HostNotification, HostRequests, HostToWebview, WebviewCommand, WebviewRequests } from './protocol';
import type { VsCodeApi } from './vscodeApi';

type HostRequestHandlers = { [K in keyof HostRequests]: (params: HostRequests[K]['params']) => HostRequests[K]['result'] | Promise<HostRequests[K]['result']> };

/** The webview end of the typed message protocol in protocol.ts. */
export class Messenger {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(
    private readonly api: VsCodeApi,
    private readonly onNotification: (n: HostNotification) => void,
    private readonly requests: HostRequestHandlers,
  ) {
    window.addEventListener('message', (e: MessageEvent<HostToWebview>) => void this.receive(e.data));
  }

  command(command: WebviewCommand): void {
    this.api.postMessage({ kind: 'command', ...command });
  }

  request<K extends keyof WebviewRequests>(method: K, params: WebviewRequests[K]['params']): Promise<WebviewRequests[K]['result']> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.api.postMessage({ kind: 'request', id, method, params });
    });
  }

  private async receive(message: HostToWebview): Promise<void> {
    if (message.kind === 'notification') {
      this.onNotification(message);
    } else if (message.kind === 'response') {
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.ok) waiting?.resolve(message.result);
      else waiting?.reject(new Error(message.error));
    } else if (message.kind === 'request') {
      try {
        const result = await this.requests[message.method](message.params);
        this.api.postMessage({ kind: 'response', id: message.id, ok: true, result });
      } catch (err) {
        this.api.postMessage({ kind: 'response', id: message.id, ok: false, error: err instanceof Error ? err.message : String(err) });
      }
    }
  }
}
