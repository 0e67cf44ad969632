import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { freePort } from './helpers/workbench';

interface ServerInfo {
  url: string;
  port: number;
}

/**
 * The embedded server listening beyond loopback: device routes want the device token that
 * "OTA: Copy Device Token" puts on the clipboard; on 127.0.0.1 they do not (server.test.ts).
 * Self-contained: it stops any embedded server first and removes its ota.local.json after.
 */
describe('embedded OTA server on every interface: the device token', () => {
  const folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
  const localFile = path.join(folder, '.vscode', 'ota.local.json');
  let port: number;
  let url: string;

  before(async () => {
    await vscode.commands.executeCommand('ota.stopServer');
    port = await freePort();
    await fs.writeFile(localFile, JSON.stringify({ servers: [{ type: 'local', name: 'local', host: '0.0.0.0', port }] }));
    url = (await vscode.commands.executeCommand<ServerInfo>('ota.startServer')).url;
  });

  after(async () => {
    await vscode.commands.executeCommand('ota.stopServer');
    await fs.rm(localFile, { force: true });
  });

  const poll = (headers: Record<string, string> = {}, query = '') => fetch(`${url}/DEFAULT/controller/v1/itest-token-device${query}`, { headers });

  it('refuses device requests without the token, and takes the one the command copies in each form devices send it', async () => {
    assert.equal(url, `http://127.0.0.1:${port}`);
    const refused = await poll();
    assert.equal(refused.status, 401);
    assert.match(refused.headers.get('www-authenticate') ?? '', /^GatewayToken/);
    assert.equal((await poll({ Authorization: 'GatewayToken not-the-token' })).status, 401);

    await vscode.env.clipboard.writeText('');
    await vscode.commands.executeCommand('ota.copyDeviceToken');
    const token = await vscode.env.clipboard.readText();
    assert.match(token, /^[A-Za-z0-9_-]{32}$/, 'a random base64url token of 24 bytes on the clipboard');

    assert.equal((await poll({ Authorization: `GatewayToken ${token}` })).status, 200);
    assert.equal((await poll({ Authorization: `Basic ${Buffer.from(`device:${token}`).toString('base64')}` })).status, 200);
    assert.equal((await poll({}, `?token=${encodeURIComponent(token)}`)).status, 200);
    // The device token is not the management token.
    assert.equal((await fetch(`${url}/api/v1/status`, { headers: { Authorization: `Bearer ${token}` } })).status, 401);
  });

  it('keeps the same token across a restart (it lives in Secret Storage)', async () => {
    await vscode.commands.executeCommand('ota.copyDeviceToken');
    const before = await vscode.env.clipboard.readText();
    assert.equal(await vscode.commands.executeCommand<boolean>('ota.stopServer'), true);
    url = (await vscode.commands.executeCommand<ServerInfo>('ota.startServer')).url;
    assert.equal((await poll({ Authorization: `GatewayToken ${before}` })).status, 200);
    assert.equal((await poll()).status, 401);
  });
});
