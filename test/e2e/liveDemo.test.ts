import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { prepareDemoWorkspace } from '../host/demoWorkspace';
import { freePort } from '../host/processes';
import { Workbench } from './workbench';

describe('OTA: Run Demo in the workbench (e2e)', function () {
  this.timeout(240_000);
  let bench: Workbench;
  let template: string;
  /** What the browser reported about blocked loads: the view must need nothing its CSP forbids. */
  const cspViolations: string[] = [];

  before(async () => {
    template = await fs.mkdtemp(path.join(os.tmpdir(), 'ota-demo-e2e-'));
    const workspace = path.join(template, 'workspace');
    await prepareDemoWorkspace(workspace, { autoStart: false, port: await freePort() });
    bench = await Workbench.open(workspace);
    bench.page.on('console', (m) => {
      if (/Content Security Policy|Refused to (load|apply|execute)/.test(m.text())) cspViolations.push(m.text());
    });
    await bench.page.setViewportSize({ width: 1400, height: 1000 });
  });

  after(async () => {
    await bench?.close();
    await fs.rm(template, { recursive: true, force: true });
  });

  it('runs from the command palette; the live view shows the devices updating, a finished session and the why-not record', async () => {
    // The OTA icon shows once the extension is registered; its commands are in the palette from then on.
    await bench.openOtaView();
    await bench.runCommand('OTA: Run Demo');
    // The demo's scenarios: Update is the live one.
    await bench.pick('Update');
    const view = bench.liveView();
    for (const id of ['demo-plug-1', 'demo-plug-2', 'demo-plug-3', 'demo-oldkey-1', 'demo-wrongkey-1']) {
      await view.locator(`tr[data-device="${id}"]`).waitFor({ timeout: 60_000 });
    }
    // Mid-download: the bars are the server's bytes served (the default demo speed is slow enough to see).
    await view.locator('.session[data-state="downloading"]').first().waitFor({ timeout: 60_000 });
    console.log(`      screenshot: ${await bench.screenshot('live-view-demo-downloading')}`);
    // Every matching device ends with a succeeded session; the wrong-key one is explained.
    await view.locator('.session[data-state="succeeded"]').nth(3).waitFor({ timeout: 120_000 });
    const whyNot = view.locator('.whynot[data-device="demo-wrongkey-1"] .reason');
    await whyNot.waitFor({ timeout: 30_000 });
    assert.match(await whyNot.innerText(), /fw_key plug-key-2024-wrong/);
    const version = await view.locator('tr[data-device="demo-plug-1"] td.version').innerText();
    assert.match(version, /^1\.\d+\.0$/);
    assert.equal(await view.locator('tr[data-device="demo-wrongkey-1"] td.version').innerText(), '1.0.0');
    await view.locator('.conn-live').waitFor({ timeout: 10_000 });
    // code-server starts in its default light theme; the dark one is one pick away.
    console.log(`      screenshot: ${await bench.screenshot('live-view-demo-light')}`);
    // Clicked rather than Enter: the palette ranks "Browse Color Themes in Marketplace" first.
    await bench.findCommand('Preferences: Color Theme');
    await bench.page.locator('.quick-input-list .monaco-list-row', { hasText: /^Preferences: Color Theme/ }).first().click({ timeout: 15_000 });
    const themeInput = bench.page.locator('.quick-input-widget input[placeholder*="Color Theme"]');
    await themeInput.waitFor({ timeout: 15_000 }).catch(async (err: unknown) => {
      console.log(`      screenshot: ${await bench.screenshot('live-view-theme-picker')}`);
      throw err;
    });
    await themeInput.fill('Dark Modern');
    await bench.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Dark Modern' }).first().waitFor({ timeout: 15_000 });
    await bench.page.keyboard.press('Enter');
    await bench.page.locator('.monaco-workbench.vs-dark').waitFor({ timeout: 15_000 });
    await bench.page.waitForTimeout(500); // the webview picks up the theme's colours asynchronously; for the screenshot only
    console.log(`      screenshot: ${await bench.screenshot('live-view-demo-dark')}`);
    // The section, not its lines: the lines are redrawn as the idle devices keep polling.
    await view.locator('vscode-collapsible[data-section="console"]').scrollIntoViewIfNeeded();
    console.log(`      screenshot: ${await bench.screenshot('live-view-demo-log-dark')}`);

    // The why-not record's action opens the config where the fix goes: the keys bound to the PID.
    await view.locator('.whynot[data-device="demo-wrongkey-1"] vscode-button', { hasText: 'Keys bound to plug01' }).click();
    await bench.page.locator('.tabs-container .tab', { hasText: 'ota.json' }).waitFor({ timeout: 15_000 });
    // Back on the view (its page was dropped while hidden): the log comes back from the host's history.
    await bench.page.locator('.tabs-container .tab', { hasText: 'OTA Live Updates' }).click();
    await view.locator('ol.log li[data-type="deployment.created"]').waitFor({ timeout: 15_000 });
    await view.locator('tr[data-device="demo-plug-1"] td.version', { hasText: version }).waitFor({ timeout: 15_000 });

    // Stopping the demo cancels its deployment: its why-not record goes with it.
    await bench.runCommand('OTA: Stop Demo');
    await view.getByText('Run Demo', { exact: true }).waitFor({ timeout: 30_000 });
    await view.locator('.whynot[data-device="demo-wrongkey-1"]').waitFor({ state: 'detached', timeout: 30_000 });
    assert.deepEqual(cspViolations, []);
  });

  it('brings the panel back after a reload (WebviewPanelSerializer) and says why it cannot connect', async () => {
    // A reload starts a new extension host: the demo and the embedded server are gone with the old one.
    await bench.page.reload();
    await bench.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // ota.json was the active editor; a webview loads when its tab is shown.
    await bench.page.locator('.tabs-container .tab', { hasText: 'OTA Live Updates' }).click({ timeout: 30_000 });
    const banner = bench.liveView().locator('.banner', { hasText: 'is not running' });
    await banner.waitFor({ timeout: 60_000 });
    assert.match(await banner.innerText(), /Start Local Server|Run Demo/);
    console.log(`      screenshot: ${await bench.screenshot('live-view-restored')}`);
  });
});

describe('npm start’s demo workspace (e2e)', function () {
  this.timeout(240_000);
  let bench: Workbench;
  let template: string;

  before(async () => {
    template = await fs.mkdtemp(path.join(os.tmpdir(), 'ota-demo-auto-'));
    const workspace = path.join(template, 'workspace');
    // What `npm start` writes into its copy: the prebuilt image and otaWorkbench.demo.autoStart.
    await prepareDemoWorkspace(workspace, { autoStart: true, port: await freePort() });
    bench = await Workbench.open(workspace);
  });

  after(async () => {
    await bench?.close();
    await fs.rm(template, { recursive: true, force: true });
  });

  it('runs the demo by itself when the workbench opens', async () => {
    const view = bench.liveView();
    await view.locator('.session[data-state="succeeded"]').nth(3).waitFor({ timeout: 120_000 });
    await view.locator('.whynot[data-device="demo-wrongkey-1"]').waitFor({ timeout: 30_000 });
  });
});
