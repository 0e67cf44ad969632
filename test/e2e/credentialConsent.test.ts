import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RunningServer } from '../../src/server/startServer';
import { startServer } from '../../src/server/startServer';
import { Workbench } from './workbench';

/**
 * A workspace config (as cloned with a repository) names `${env:…}` outside the OTA_ names: the
 * editor asks before sending that variable anywhere, a refusal sends nothing and is asked again,
 * and a yes is remembered for that name. The modal dialog is clicked as a person would.
 */
describe('consent before a workspace config sends a non-OTA_ environment variable (e2e)', function () {
  this.timeout(240_000);
  const envName = 'E2E_CONSENT_CREDENTIAL';
  let template: string;
  let server: RunningServer;
  let bench: Workbench;

  before(async () => {
    template = await fs.mkdtemp(path.join(os.tmpdir(), 'ota-consent-e2e-'));
    server = await startServer({ dataDir: path.join(template, 'server'), port: 0 });
    // code-server, and the extension host it starts, inherit this process's environment.
    process.env[envName] = server.token;
    const workspace = path.join(template, 'workspace');
    await fs.mkdir(path.join(workspace, '.vscode'), { recursive: true });
    await fs.writeFile(
      path.join(workspace, '.vscode', 'ota.json'),
      JSON.stringify({
        products: [{ pid: 'plug01', name: 'Smart Plug', firmwareKeys: ['plug-key-2024'] }],
        channels: [],
        servers: [{ type: 'ota-workbench', name: 'staging', url: server.url, token: `\${env:${envName}}` }],
        defaultServer: 'staging',
      }),
    );
    bench = await Workbench.open(workspace);
  });

  after(async () => {
    await bench?.close();
    delete process.env[envName];
    await server?.close(500);
    await fs.rm(template, { recursive: true, force: true });
  });

  it('asks; a refusal sends nothing and asks again; a yes connects and is not asked for again', async () => {
    await bench.openOtaView();
    await bench.runCommand('OTA: Open Live Update View');
    const dialog = bench.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 }).catch(async (err: unknown) => {
      console.log(`      screenshot: ${await bench.screenshot('credential-consent-no-dialog')}`);
      throw err;
    });
    assert.match(await dialog.innerText(), new RegExp(`environment variable ${envName} as servers\\.staging\\.token`));
    console.log(`      screenshot: ${await bench.screenshot('credential-consent-dialog')}`);
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    const view = bench.liveView();
    await view.locator('.banner.bad', { hasText: `sending the environment variable ${envName} was not allowed` }).waitFor({ timeout: 30_000 });
    assert.equal(server.service.ctx.events.size, 0, 'nothing subscribed to the server’s events');

    // A refusal is not remembered: the next attempt asks again.
    await view.locator('vscode-button[data-key="reconnect"]').click();
    await dialog.waitFor({ timeout: 30_000 });
    await dialog.getByRole('button', { name: 'Send It' }).click();
    await view.locator('.conn-live').waitFor({ timeout: 30_000 });

    // A new panel connects again. Had it asked, the connection would wait for the answer and
    // never go live while the dialog stands.
    await bench.runCommand('View: Close All Editors');
    await view.locator('.conn-live').waitFor({ state: 'detached', timeout: 30_000 });
    await bench.runCommand('OTA: Open Live Update View');
    await view.locator('.conn-live').waitFor({ timeout: 30_000 });
    assert.equal(await dialog.count(), 0, 'no dialog the second time');
  });
});
