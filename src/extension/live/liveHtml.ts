import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** The bundle and media folders: the only files the webview may load. */
export function liveResourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')];
}

/**
 * The page: a strict CSP (nothing but our own bundle and stylesheet, scripts only with this
 * page's nonce), the bundle that draws everything, and a root element for it.
 */
export function liveHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'live.css'));
  // Lit (inside @vscode-elements) styles its shadow roots with constructable stylesheets, which
  // CSP does not block; no inline style or script is needed, so none is allowed.
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
    `style-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>OTA Live Updates</title>
</head>
<body>
<main id="app"><p class="muted">Connecting…</p></main>
<script type="module" nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}
