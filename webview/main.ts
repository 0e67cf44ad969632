import '@vscode-elements/elements/dist/vscode-badge/index.js';
import type { HostToWebview, WebviewToHost } from './protocol';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
  const message = event.data;
  if (message.type === 'hello') {
    const badge = document.getElementById('version');
    if (badge) badge.textContent = message.version;
  }
});
vscode.postMessage({ type: 'ready' });
