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
  // The view's own strings in VS Code's display language: the bundle VS Code loaded for the
  // extension, as data the page reads (JSON in a non-script type runs nothing and needs no CSP
  // allowance). English ships in the code, so there is no bundle for it.
  const bundle = vscode.l10n.bundle ? `<script type="application/json" id="l10n-bundle">${jsonInHtml(vscode.l10n.bundle)}</script>\n` : '';
  return `<!DOCTYPE html>
<html lang="${escapeAttribute(vscode.env.language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>${escapeText(vscode.l10n.t('OTA Live Updates'))}</title>
</head>
<body>
<main id="app"><p class="muted">${escapeText(vscode.l10n.t('Connecting…'))}</p></main>
${bundle}<script type="module" nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}

/** JSON inside a script element: `<` escaped so no string in it can close the element. */
function jsonInHtml(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;');
}
