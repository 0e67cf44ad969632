/**
 * Messages between the extension host and the live-update webview, declared once for both sides.
 * Notifications flow host → webview; requests carry an id and get a response with the same id.
 */
export type HostToWebview = { type: 'hello'; version: string };
export type WebviewToHost = { type: 'ready' };
