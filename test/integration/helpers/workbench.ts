/** Helpers shared by the suites that run inside the VS Code extension host. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as net from 'node:net';
import * as vscode from 'vscode';
import type { LiveViewHandle } from '../../../src/extension/live/liveView';
import type { ViewDescription } from '../../../webview/protocol';

export const extensionId = 'ota-workbench.ota-workbench';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Remembers a file as it is now (or that it is absent); the returned function puts exactly that
 * back. A suite that writes into the shared test workspace restores it, so no suite depends on
 * what another one left there, whatever order they run in.
 */
export async function keepFile(file: string): Promise<() => Promise<void>> {
  const before = await fs.readFile(file).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  return async () => {
    if (before === undefined) await fs.rm(file, { force: true });
    else await fs.writeFile(file, before);
  };
}

/**
 * Stops the demo and the embedded server for a suite that needs them off (or wants to start them
 * itself on its own config), closes every editor (an open live view included) and returns what
 * puts the server back as it was.
 */
export async function quietWorkbench(): Promise<() => Promise<void>> {
  await vscode.commands.executeCommand('ota.stopDemo');
  const serverWasRunning = await vscode.commands.executeCommand<boolean>('ota.stopServer');
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  return async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (serverWasRunning) await vscode.commands.executeCommand('ota.startServer');
  };
}

export function otaDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'OTA');
}

/** Waits until `predicate` holds for the OTA diagnostics of `uri` (checked on every change, capped at 15 s). */
export async function waitForDiagnostics(uri: vscode.Uri, predicate: (list: vscode.Diagnostic[]) => boolean, what: string): Promise<vscode.Diagnostic[]> {
  if (predicate(otaDiagnostics(uri))) return otaDiagnostics(uri);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out waiting for ${what}; have: ${JSON.stringify(otaDiagnostics(uri).map((d) => [d.code, d.message]))}`));
    }, 15_000);
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (!e.uris.some((u) => u.toString() === uri.toString())) return;
      const list = otaDiagnostics(uri);
      if (predicate(list)) {
        clearTimeout(timer);
        sub.dispose();
        resolve(list);
      }
    });
  });
}

/** Replaces the first `from` in an open document (unsaved); returns the range of the new text. */
export async function replaceIn(doc: vscode.TextDocument, from: string, to: string): Promise<vscode.Range> {
  const offset = doc.getText().indexOf(from);
  assert.ok(offset >= 0, `${from} not found in ${doc.uri.path}`);
  const range = new vscode.Range(doc.positionAt(offset), doc.positionAt(offset + from.length));
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, range, to);
  assert.ok(await vscode.workspace.applyEdit(edit));
  return new vscode.Range(range.start, doc.positionAt(offset + to.length));
}

/**
 * Asks the live webview what it shows until `done` holds (it draws on events; this only reads).
 * A page still loading does not answer yet: that is asked again within the same deadline.
 */
export async function viewUntil(view: LiveViewHandle, what: string, done: (d: ViewDescription) => boolean): Promise<ViewDescription> {
  const deadline = Date.now() + 30_000;
  let last: ViewDescription | undefined;
  let unanswered: unknown;
  while (Date.now() < deadline) {
    try {
      last = await view.describe();
      unanswered = undefined;
    } catch (err) {
      if (!/did not answer/.test(String(err))) throw err;
      unanswered = err;
      continue;
    }
    if (done(last)) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.fail(`the live view never showed ${what}; it showed ${JSON.stringify(last)}${unanswered ? ` (last ask: ${String(unanswered)})` : ''}`);
}
