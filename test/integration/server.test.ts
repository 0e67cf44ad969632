import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { freePort, keepFile, quietWorkbench } from './helpers/workbench';

interface ServerInfo {
  url: string;
  port: number;
  dataDir: string;
}
describe('embedded OTA server', () => {
  const folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
  const localFile = path.join(folder, '.vscode', 'ota.local.json');
  let port: number;
  const restore: (() => Promise<void>)[] = [];

  before(async () => {
    // Started by this suite on its own port: no embedded server left running by an earlier one.
    restore.push(await quietWorkbench(), await keepFile(localFile));
    // One person's port goes in ota.local.json, merged over the shared config.
    port = await freePort();
    await fs.writeFile(localFile, JSON.stringify({ servers: [{ type: 'local', name: 'local', host: '127.0.0.1', port }] }));
  });

  after(async () => {
    await vscode.commands.executeCommand('ota.stopServer');
    for (const undo of restore.splice(0).reverse()) await undo();
  });

  it('starts from the command on the configured host and port, with its data outside the workspace', async () => {
    const info = await vscode.commands.executeCommand<ServerInfo>('ota.startServer');
    assert.equal(info.url, `http://127.0.0.1:${port}`);
    assert.ok(!info.dataDir.startsWith(folder), `data dir ${info.dataDir} must not be inside the workspace`);
    const poll = await fetch(`${info.url}/DEFAULT/controller/v1/itest-device`);
    assert.equal(poll.status, 200);
    const body = (await poll.json()) as { config: { polling: { sleep: string } } };
    // The sample config polls every 10 s.
    assert.equal(body.config.polling.sleep, '00:00:10');
  });

  it('guards the management API with a token the workspace never sees', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/status`);
    assert.equal(res.status, 401);
    const files = await fs.readdir(path.join(folder, '.vscode'));
    assert.deepEqual(files.sort(), ['ota.json', 'ota.local.json']);
  });

  it('stops from the command and frees the port', async () => {
    assert.equal(await vscode.commands.executeCommand<boolean>('ota.stopServer'), true);
    await assert.rejects(fetch(`http://127.0.0.1:${port}/DEFAULT/controller/v1/itest-device`));
    assert.equal(await vscode.commands.executeCommand<boolean>('ota.stopServer'), false);
  });
});
