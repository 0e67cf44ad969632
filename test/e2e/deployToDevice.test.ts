import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../host/codeServer';
import { prepareDemoWorkspace } from '../host/demoWorkspace';
import { freePort } from '../host/processes';
import { Workbench } from './workbench';

/** The version the workspace's build output carries: above the demo's 1.1.0, so its devices take it. */
const pushedVersion = '2.0.0';

describe('Deploy to one device from its row in the live view (e2e)', function () {
  this.timeout(300_000);
  let bench: Workbench;
  let template: string;

  before(async () => {
    template = await fs.mkdtemp(path.join(os.tmpdir(), 'ota-deploy-device-e2e-'));
    const workspace = path.join(template, 'workspace');
    await prepareDemoWorkspace(workspace, { autoStart: false, port: await freePort() });
    // The build output as a developer would have it: a real ESP-IDF image whose embedded version
    // is the label it is pushed under ("the build output as it is").
    const artifact = path.join(workspace, 'build', 'smart-plug.bin');
    await promisify(execFile)(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), 'image', 'restamp', artifact, '--version', pushedVersion, '-o', artifact]);
    // Downloads of a few seconds: the demo and the one-device update both finish well inside the test.
    const settingsFile = path.join(workspace, '.vscode', 'settings.json');
    const settings = JSON.parse(await fs.readFile(settingsFile, 'utf8')) as Record<string, unknown>;
    await fs.writeFile(settingsFile, JSON.stringify({ ...settings, 'otaWorkbench.demo.bytesPerSecond': 128 * 1024 }, null, 2) + '\n');
    bench = await Workbench.open(workspace);
    await bench.page.setViewportSize({ width: 1400, height: 1000 });
  });

  after(async () => {
    await bench?.close();
    if (template) await fs.rm(template, { recursive: true, force: true });
  });

  it('a device row’s Deploy… offers the server’s releases and updates that device only', async () => {
    await bench.openOtaView();
    // The demo: five simulated devices on the embedded server, four of them updated to its 1.1.0.
    await bench.runCommand('OTA: Run Demo');
    await bench.pick('Update');
    const view = bench.liveView();
    await view.locator('.session[data-state="succeeded"]').nth(3).waitFor({ timeout: 120_000 });
    const demoVersion = (await view.locator('tr[data-device="demo-plug-1"] td.version').innerText()).trim();
    assert.match(demoVersion, /^1\.\d+\.0$/);

    // A newer release on the server: the workspace's build output, published without a deployment.
    await bench.runCommand('OTA: Push Release…');
    await bench.pick('Publish only');
    await bench.waitForToast(`Pushed smart-plug.bin ${pushedVersion} to local.`);

    // The device row's button, then the release: the newest release that fits the device is listed first.
    await bench.page.locator('.tabs-container .tab', { hasText: 'OTA Live Updates' }).click();
    await view.locator('tr[data-device="demo-plug-2"] vscode-button.deploy[aria-label="Deploy to demo-plug-2"]').click({ timeout: 30_000 });
    const title = bench.page.locator('.quick-input-widget .quick-input-title', { hasText: 'Deploy to demo-plug-2' });
    await title.waitFor({ timeout: 30_000 });
    const first = bench.page.locator('.quick-input-list .monaco-list-row').first();
    assert.match(await first.innerText(), new RegExp(`^${pushedVersion.replace(/\./g, '\\.')}`));
    assert.match(await first.innerText(), /matches what demo-plug-2 reports/);
    await bench.pick(pushedVersion);
    await bench.waitForToast(new RegExp(`Deployed ${pushedVersion.replace(/\./g, '\\.')} to demo-plug-2 \\(deployment \\S+\\)`), 30_000);

    // The device downloads, installs and reports the new version; its session is for the new release.
    await view.locator('.session[data-device="demo-plug-2"][data-state="succeeded"]', { hasText: `→ ${pushedVersion}` }).waitFor({ timeout: 90_000 });
    await view.locator('tr[data-device="demo-plug-2"] td.version', { hasText: pushedVersion }).waitFor({ timeout: 30_000 });
    // The status bar follows the newest deployment, counted in devices: this one names exactly one.
    await bench.page.locator('.statusbar-item', { hasText: /OTA 127\.0\.0\.1:\d+\s+1\/1\b/ }).waitFor({ timeout: 30_000 });
    console.log(`      screenshot: ${await bench.screenshot('live-view-deploy-to-device')}`);
    // The others poll every second and were not offered it: the deployment named one device.
    for (const other of ['demo-plug-1', 'demo-plug-3', 'demo-oldkey-1']) {
      assert.equal((await view.locator(`tr[data-device="${other}"] td.version`).innerText()).trim(), demoVersion, `${other} still runs ${demoVersion}`);
      assert.equal(await view.locator(`.session[data-device="${other}"]`, { hasText: `→ ${pushedVersion}` }).count(), 0, `${other} has no session for ${pushedVersion}`);
    }
  });
});
