import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { requireWorkspaceConfig } from '../../../src/core/config/loader';
import { silentLogger } from '../../../src/core/logger';
import { reportsRoot } from '../../../src/core/plan/writeReport';
import type { RolloutSummary, UpdateSession } from '../../../src/core/protocol/management';
import { createRelease } from '../../../src/core/release/createRelease';
import { loadSigningKey } from '../../../src/core/signing/loadKey';
import { PlanFleet, parseFleetFault } from '../../../src/device/simulator/planFleet';
import { OtaProvider } from '../../../src/providers/ota/otaProvider';
import { runRollout } from '../../../src/providers/plan/rolloutRun';
import { waitForDevicesOnline } from '../../../src/providers/plan/waitForOutcomes';
import type { RunningServer } from '../../../src/server/startServer';
import { mcubootDir, repoPath } from '../../helpers/fixtures';
import { launchChromium } from '../../host/browser';
import { makeWorkspace } from '../release/workspace';
import { api, removeDir, start, tempDir, token } from '../server/helpers/server';

const key = loadSigningKey({ label: 'root-ed25519.pem', pem: readFileSync(join(mcubootDir, 'root-ed25519.pem'), 'utf8') });

/**
 * The demo's staged rollout on the real server on 127.0.0.1: nine simulated devices in three
 * groups, the second group's devices fail their self-test. The rollout must pause at the error
 * threshold before the third group starts, and after the faults are cleared and it is resumed,
 * finish with every device on the release; the report's counts are the server's sessions.
 */
describe('staged rollout run over simulated devices', function () {
  this.timeout(120_000);
  let dir: string;
  let server: RunningServer;
  let fleet: PlanFleet | undefined;

  beforeEach(async () => {
    dir = await tempDir('ota-rollout-run-');
    server = await start(join(dir, 'server'), { pollingSleepSec: 1 });
  });
  afterEach(async () => {
    await fleet?.stop();
    fleet = undefined;
    await server.close(0);
    await removeDir(dir);
  });

  it('3 groups, the second failing: pauses at the error threshold, resumes to completion after the fix, and reports the server\'s counts', async () => {
    const folder = makeWorkspace();
    const channel = (await requireWorkspaceConfig(folder)).config.channels[0]!;
    const releasesRoot = join(folder, '.ota', 'releases');
    const first = await createRelease({ channel, folder, releasesRoot, mode: { kind: 'release' }, restamp: false, build: true, key, production: false, buildOptions: { env: process.env }, log: silentLogger });
    const provider = new OtaProvider('test', server.url, token);
    fleet = await PlanFleet.start({
      count: 9,
      server: server.url,
      pid: channel.pid,
      fwKey: channel.firmwareKey,
      channel: channel.name,
      factoryImage: await readFile(first.artifactPath),
      behaviour: 'plain',
      faults: [parseFleetFault('4-6=self-test:fail')],
      pollIntervalMs: 500,
      idPrefix: 'ro',
    });
    const devices = fleet.ids;
    await waitForDevicesOnline(provider, devices, { timeoutMs: 20_000, signal: AbortSignal.timeout(30_000) });
    const messages: string[] = [];
    const f = fleet;
    const { report, dir: out } = await runRollout({
      channel,
      folder,
      releasesRoot,
      reportsRoot: reportsRoot(folder),
      key,
      production: false,
      provider,
      boundKeys: [channel.firmwareKey],
      waitFor: devices,
      cycleTimeoutMs: 45_000,
      pollMs: 250,
      parameters: { scenario: 'staged-rollout' },
      signal: new AbortController().signal,
      log: silentLogger,
      onProgress: (p) => messages.push(p.message),
      groups: 3,
      successThreshold: 100,
      errorThreshold: 50,
      beforeStart: () => f.armFaults(),
      fix: () => `cleared ${f.clearFaults().join(', ')}`,
    });

    assert.equal(report.complete, true, report.stoppedBecause);
    assert.equal(report.kind, 'rollout');
    assert.deepEqual(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')), report);
    const ro = report.rollout!;
    assert.equal(ro.state, 'finished');
    assert.deepEqual(ro.groups.map((g) => g.devices), [devices.slice(0, 3), devices.slice(3, 6), devices.slice(6, 9)]);
    assert.deepEqual(ro.groups.map((g) => g.state), ['succeeded', 'succeeded', 'succeeded']);
    assert.deepEqual(ro.groups.map((g) => g.deploymentIds.length), [1, 2, 1], 'the resume retried group 2 with a new deployment');

    // The timeline: paused at the threshold (group 3 not started), fixed, resumed, finished — in that order.
    const at = (pred: (t: (typeof ro.timeline)[number]) => boolean, what: string) => {
      const i = ro.timeline.findIndex(pred);
      assert.ok(i >= 0, `${what} in ${JSON.stringify(ro.timeline, null, 1)}`);
      return i;
    };
    const paused = at((t) => t.state === 'paused' && !t.action, 'the pause');
    const pause = ro.timeline[paused]!;
    assert.match(pause.reason ?? '', /^group 2: [23] of 3 device\(s\) failed \(\d+%\), over the error threshold of 50%/);
    assert.deepEqual(pause.groups, ['succeeded', 'error', 'scheduled']);
    const fixed = at((t) => t.action?.startsWith('fixed the cause: cleared 4-6=self-test:fail') === true, 'the fix');
    const resumed = at((t) => t.action === 'resumed', 'the resume');
    const finished = at((t) => t.state === 'finished', 'the end');
    assert.ok(paused < fixed && fixed < resumed && resumed < finished, JSON.stringify(ro.timeline));
    assert.match(ro.timeline[resumed]!.reason ?? '', /resumed; 3 device\(s\) that had failed are offered the release again/);
    assert.ok(messages.some((m) => /paused; waiting for the failing group to settle/.test(m)), messages.join('\n'));

    // The server agrees: its rollout, and one cycle per deployment whose counts are its sessions.
    const server_ = (await api(server, 'GET', `/api/v1/rollouts/${ro.id}`)).json as RolloutSummary;
    assert.equal(server_.state, 'finished');
    assert.deepEqual(ro.groups.map((g) => g.counts), server_.groups.map((g) => g.counts));
    const sessions = (await api(server, 'GET', '/api/v1/sessions?limit=10000')).json as UpdateSession[];
    assert.deepEqual(report.cycles.map((c) => c.group), ['group 1', 'group 2', 'group 2, retry 1', 'group 3']);
    assert.deepEqual(report.cycles.map((c) => c.deploymentId), ro.groups.flatMap((g) => g.deploymentIds));
    assert.deepEqual(report.cycles.map((c) => [c.counts.succeeded, c.counts.failed]), [[3, 0], [0, 3], [3, 0], [3, 0]]);
    for (const c of report.cycles) {
      const own = sessions.filter((s) => s.deploymentId === c.deploymentId);
      assert.equal(c.counts.succeeded, own.filter((s) => s.state === 'succeeded').length);
      assert.equal(c.counts.failed, own.filter((s) => s.state === 'failed').length);
      for (const d of report.results.filter((x) => x.cycle === c.cycle)) {
        const s = own.find((x) => x.deviceId === d.deviceId)!;
        assert.equal(d.sessionId, s.id);
        assert.equal(d.bytes, s.bytesServed);
        if (d.result === 'failed') assert.match(d.reason ?? '', /self-test/);
      }
    }
    // Group 3 was offered the release only after the resume.
    const group3Start = Math.min(...report.results.filter((d) => d.cycle === 4).map((d) => Date.parse(d.startedAt!)));
    assert.ok(group3Start >= Date.parse(ro.timeline[resumed]!.at) - 1000, 'group 3 started after the resume');
    const label = report.versions.labels[0]!;
    assert.equal(label, '1.0.1');
    for (const d of report.results.filter((x) => x.result === 'succeeded')) assert.equal(d.running, label);

    const md = readFileSync(join(out, 'report.md'), 'utf8');
    assert.match(md, /## Staged rollout .* of 1\.0\.1/);
    assert.match(md, /\| group 2 \| ro-4, ro-5, ro-6 \| succeeded \| 3 \| 0 \| 0 \| 0 \|/);
    assert.match(md, /\| 2 \(group 2\) \| 1\.0\.1 \| 0 \| 3 \|/);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    assert.doesNotMatch(html, /<script|(src|href)=["']?https?:/i);
    assert.match(html, /<svg id="chart-rollout"/);
    assert.match(html, /<title>[^<]*paused — group 2: /);
    await screenshot(join(out, 'report.html'));
  });
});


/** The report opens offline in headless Chromium with its rollout chart drawn (screenshot in test-results/). */
async function screenshot(file: string): Promise<void> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const requests: string[] = [];
    page.on('request', (req) => {
      if (!req.url().startsWith('file:')) requests.push(req.url());
    });
    await page.goto(`file://${file}`);
    const box = await page.locator('#chart-rollout').boundingBox();
    assert.ok(box && box.width > 300 && box.height > 80, `the rollout chart is drawn: ${JSON.stringify(box)}`);
    // Three groups, all of whose devices run the release at the end; the pause is on the state line.
    assert.equal(await page.locator('#chart-rollout rect').filter({ hasText: 'succeeded' }).count(), 3);
    assert.equal(await page.locator('#chart-rollout circle').filter({ hasText: 'paused' }).count() >= 1, true);
    assert.deepEqual(requests, [], 'the report loads nothing from elsewhere');
    mkdirSync(repoPath('test-results'), { recursive: true });
    await page.screenshot({ path: repoPath('test-results', 'rollout-report.png'), fullPage: true });
  } finally {
    await browser.close();
  }
}
