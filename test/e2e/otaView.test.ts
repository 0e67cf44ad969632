import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { repoRoot } from '../host/codeServer';
import { Workbench } from './workbench';

const fixtureWorkspace = process.env.OTA_TEST_WORKSPACE ?? path.join(repoRoot, 'test', 'fixtures', 'workspace');

describe('OTA view in the workbench (e2e)', function () {
  this.timeout(180_000);

  describe('on a folder without an OTA config', () => {
    let bench: Workbench;
    before(async () => (bench = await Workbench.open(undefined)));
    after(async () => bench?.close());

    it('shows the welcome content that explains the shared config', async () => {
      await bench.openOtaView();
      const welcome = bench.page.locator('.welcome-view-content', { hasText: 'No OTA config found in this workspace' });
      await welcome.waitFor({ timeout: 30_000 });
      assert.ok(await welcome.getByRole('button', { name: 'Open Workspace Config' }).isVisible());
      console.log(`      screenshot: ${await bench.screenshot('ota-view-welcome')}`);
    });
  });

  describe('on the sample firmware workspace', () => {
    let bench: Workbench;
    before(async () => (bench = await Workbench.open(fixtureWorkspace)));
    after(async () => bench?.close());

    it('lists the folder’s .vscode/ota.json in the OTA view', async () => {
      await bench.openOtaView();
      const row = bench.page.locator('.monaco-list-row', { hasText: '.vscode/ota.json' });
      await row.waitFor({ timeout: 30_000 });
      console.log(`      screenshot: ${await bench.screenshot('ota-view-workspace')}`);
    });

    it('runs "OTA: Show Version" from the command palette and shows the versions', async () => {
      await bench.runCommand('OTA: Show Version');
      const toast = bench.page.locator('.notification-toast', { hasText: /OTA Workbench \S+ on VS Code 1\.100\.3/ });
      await toast.waitFor({ timeout: 30_000 });
      console.log(`      notification: ${(await toast.innerText()).split('\n')[0]}`);
      await bench.page.waitForTimeout(400); // let the toast finish sliding in, for the screenshot only
      console.log(`      screenshot: ${await bench.screenshot('ota-command-palette')}`);
    });
  });
});
