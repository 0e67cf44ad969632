import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { extensionId } from './helpers/workbench';


interface Contributes {
  commands: { command: string; category?: string }[];
  views: Record<string, { id: string }[]>;
}

describe('extension in a real VS Code', () => {
  it('runs inside VS Code 1.100', () => {
    console.log(`VS Code ${vscode.version} (${vscode.env.appName}, ${vscode.env.appHost}, remote: ${vscode.env.remoteName ?? 'none'})`);
    assert.match(vscode.version, /^1\.100\./);
  });

  it('activates on a workspace with .vscode/ota.json and reports its activation time', async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `${extensionId} is not loaded`);
    const api = (await extension.activate()) as { activationMs: number };
    assert.equal(extension.isActive, true);
    assert.equal(typeof api.activationMs, 'number');
    console.log(`activation took ${api.activationMs.toFixed(1)} ms`);
  });

  it('registers every contributed command, all under the OTA category', async () => {
    const extension = vscode.extensions.getExtension(extensionId)!;
    const manifest = JSON.parse(fs.readFileSync(path.join(extension.extensionPath, 'package.json'), 'utf8')) as { contributes: Contributes };
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = manifest.contributes.commands.filter((c) => !registered.has(c.command)).map((c) => c.command);
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
    // The manifest names its strings (%key%); package.nls.json holds the English.
    const nls = JSON.parse(fs.readFileSync(path.join(extension.extensionPath, 'package.nls.json'), 'utf8')) as Record<string, string>;
    const text = (s: string) => s.replace(/^%(.+)%$/, (whole: string, key: string) => nls[key] ?? whole);
    assert.ok(manifest.contributes.commands.every((c) => text(c.category ?? '') === 'OTA'));
  });

  it('runs a command and returns what it showed', async () => {
    const text = await vscode.commands.executeCommand<string>('ota.showVersion');
    assert.match(text, /^OTA Workbench \S+ on VS Code 1\.100\./);
  });

  it('opens the workspace config from the command', async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri>('ota.openConfig');
    assert.ok(uri);
    assert.ok(uri.path.endsWith('/.vscode/ota.json'));
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), uri.toString());
  });
});
