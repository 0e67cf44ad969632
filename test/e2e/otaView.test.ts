import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../host/codeServer';
import { prepareDemoWorkspace } from '../host/demoWorkspace';
import { freePort } from '../host/processes';
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

    it('shows the folder’s products, bound firmware keys and channels in the OTA view', async () => {
      await bench.openOtaView();
      const rows = bench.page.locator('.part.sidebar .monaco-list-row');
      await rows.filter({ hasText: '.vscode/ota.json' }).waitFor({ timeout: 30_000 });
      // Both keys bound to the PID are listed: the old one stays bound for the fleet shipped with it.
      for (const text of ['plug01', 'plug-key-2024', 'plug-key-2023', 'Channels']) {
        await rows.filter({ hasText: text }).first().waitFor({ timeout: 10_000 });
      }
      // A channel row is named by the channel and says whether its artifact is built.
      const channel = rows.filter({ hasText: /^main/ }).filter({ hasText: /built/ });
      await channel.waitFor({ timeout: 30_000 });
      await channel.click();
      const editorTab = bench.page.locator('.tabs-container .tab', { hasText: 'ota.json' });
      await editorTab.waitFor({ timeout: 15_000 });
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

    it('stores a secret through "OTA: Store Secret…" with a masked input', async () => {
      await bench.runCommand('OTA: Store Secret…');
      const quickInput = bench.page.locator('.quick-input-widget input');
      await bench.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Another name…' }).click({ timeout: 15_000 });
      await quickInput.fill('demo-token');
      await bench.page.keyboard.press('Enter');
      await bench.page.locator('.quick-input-widget input[type="password"]').waitFor({ timeout: 15_000 });
      await quickInput.fill('not-a-real-token');
      await bench.page.keyboard.press('Enter');
      const toast = bench.page.locator('.notification-toast', { hasText: 'Stored ${secret:demo-token} in Secret Storage.' });
      await toast.waitFor({ timeout: 15_000 });
    });
  });

  describe('on a workspace with a built channel', () => {
    let bench: Workbench;
    let template: string;
    before(async () => {
      template = await fs.mkdtemp(path.join(os.tmpdir(), 'ota-view-e2e-'));
      const workspace = path.join(template, 'workspace');
      // The sample workspace with the prebuilt image in place of `idf.py build`.
      await prepareDemoWorkspace(workspace, { autoStart: false, port: await freePort() });
      bench = await Workbench.open(workspace);
    });
    after(async () => {
      await bench?.close();
      await fs.rm(template, { recursive: true, force: true });
    });

    it('shows the pipeline rows and a channel’s inline actions', async () => {
      await bench.openOtaView();
      const rows = bench.page.locator('.part.sidebar .monaco-list-row');
      const channel = rows.filter({ hasText: /^main/ }).filter({ hasText: /built v/ });
      await channel.waitFor({ timeout: 60_000 });
      for (const text of ['Channels', 'Releases', 'Servers', 'Devices', 'Products', 'bench-plug']) await rows.filter({ hasText: text }).first().waitFor({ timeout: 15_000 });
      await rows.filter({ hasText: /stopped · local/ }).waitFor({ timeout: 15_000 });
      // Inline actions show on the row under the pointer.
      await channel.hover();
      const actions = channel.locator('.actions .action-label');
      await actions.first().waitFor({ timeout: 15_000 });
      const labels = await actions.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
      console.log(`      inline actions on the channel: ${JSON.stringify(labels)}`);
      assert.ok(labels.some((l) => /Create Release/.test(l)), JSON.stringify(labels));
      assert.ok(labels.some((l) => /Push Release/.test(l)), JSON.stringify(labels));
      await bench.page.waitForTimeout(300); // the hover styling, for the screenshot only
      console.log(`      screenshot: ${await bench.screenshot('ota-view-actions')}`);
    });
  });
});
