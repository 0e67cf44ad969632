import type { PersistedViewState, WebviewToHost } from './protocol';

/** The part of the API VS Code injects into webviews that this view uses. */
export interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): PersistedViewState | undefined;
  setState(state: PersistedViewState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** May be called once per page: keep the one instance here. */
export const vscodeApi: VsCodeApi = acquireVsCodeApi();
