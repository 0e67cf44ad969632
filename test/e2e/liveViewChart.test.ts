import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { prepareDemoWorkspace } from '../host/demoWorkspace';
import { freePort } from '../host/processes';
import { Workbench } from './workbench';

describe('The live view charts a download, counts devices and shows a stopped server with Start (e2e)', function () {
  this.timeout(420_000);
  let bench: Workbench;
  let template: string;

  before(async () => {
    template = await fs.mkdtemp(path.join(os.tmpdir(), 'ota-chart-e2e-'));
    const workspace = path.join(template, 'workspace');
    await prepareDemoWorkspace(workspace, { autoStart: false, port: await freePort() });
    // Slow downloads (about 90 s per device): the chart is drawn mid-download.
    const settingsFile = path.join(workspace, '.vscode', 'settings.json');
    const settings = JSON.parse(await fs.readFile(settingsFile, 'utf8')) as Record<string, unknown>;
    await fs.writeFile(settingsFile, JSON.stringify({ ...settings, 'otaWorkbench.demo.bytesPerSecond': 2048 }, null, 2) + '\n');
    bench = await Workbench.open(workspace);
    await bench.page.setViewportSize({ width: 1400, height: 1000 });
  });

  after(async () => {
    await bench?.close();
    if (template) await fs.rm(template, { recursive: true, force: true });
  });

  it('mid-download: each session card charts progress and throughput over time, with the same in words', async () => {
    // The extension registers after the workbench loads; on a loaded machine that takes a while.
    await bench.page.locator('.activitybar a.action-label[aria-label^="OTA"]').waitFor({ timeout: 180_000 });
    await bench.openOtaView();
    await bench.runCommand('OTA: Run Demo');
    // The demo's scenarios: Update is the live one.
    await bench.pick('Update');
    await bench.page.locator('iframe.webview.ready').waitFor({ timeout: 120_000 });
    const view = bench.liveView();
    const card = view.locator('.session[data-state="downloading"]').first();
    await card.waitFor({ timeout: 120_000 });
    // A line needs readings: wait until the first downloading card's chart has a few.
    const progress = card.locator('svg.chart polyline.chart-progress');
    await progress.waitFor({ timeout: 60_000 });
    await view.locator('.session[data-state="downloading"] svg.chart polyline.chart-progress[data-points="4"]').first().waitFor({ timeout: 60_000 }).catch(() => undefined);
    const points = ((await progress.getAttribute('points')) ?? '').trim().split(/\s+/);
    assert.ok(points.length >= 2, `the chart has ${points.length} point(s)`);
    const xs = points.map((p) => Number(p.split(',')[0]));
    assert.ok(xs.at(-1)! > xs[0]!, `the points move forward in time: ${points.join(' ')}`);
    const summary = await card.locator('.chart-summary').innerText();
    assert.match(summary, /Progress \d+% → \d+% in \d+ s/);
    assert.match((await card.locator('svg.chart').getAttribute('aria-label')) ?? '', /progress and throughput over time: Progress/);
    // Counts are devices: five demo devices, never more however many sessions.
    await view.locator('[data-count="devices"] b', { hasText: /^5$/ }).waitFor({ timeout: 60_000 });
    await card.scrollIntoViewIfNeeded();
    console.log(`      screenshot: ${await bench.screenshot('live-view-chart')}`);
    // The status bar: where the server runs and the deployment's progress in devices.
    const item = bench.page.locator('.statusbar-item', { hasText: /OTA 127\.0\.0\.1:\d+/ });
    await item.waitFor({ timeout: 30_000 });
    assert.match(await item.innerText(), /\d+\/\d+/);
  });

  it('stopped: the view says the server is stopped (not an error), the status bar too, and Start brings it back live', async () => {
    await bench.runCommand('OTA: Stop Demo');
    const view = bench.liveView();
    await view.getByText('Run Demo', { exact: true }).waitFor({ timeout: 60_000 });
    await bench.runCommand('OTA: Stop Local Server');
    const banner = view.locator('.banner.stopped');
    await banner.waitFor({ timeout: 60_000 });
    assert.match(await banner.innerText(), /is not running/);
    await view.locator('.conn-stopped').waitFor({ timeout: 10_000 });
    assert.equal(await view.locator('.banner.bad, [role="alert"]').count(), 0, 'a stopped server is not shown as an error');
    assert.equal(await view.getByText('Every device the active deployments target was offered its update.').count(), 0);
    const start = view.locator('vscode-button.start-server', { hasText: 'Start Server' });
    await start.waitFor({ timeout: 10_000 });
    await bench.page.locator('.statusbar-item', { hasText: 'OTA stopped' }).waitFor({ timeout: 30_000 });
    console.log(`      screenshot: ${await bench.screenshot('live-view-stopped')}`);
    await start.click();
    await view.locator('.conn-live').waitFor({ timeout: 60_000 });
    assert.equal(await view.locator('.banner.stopped').count(), 0);
    await bench.page.locator('.statusbar-item', { hasText: /OTA 127\.0\.0\.1:\d+/ }).waitFor({ timeout: 30_000 });
  });
});
