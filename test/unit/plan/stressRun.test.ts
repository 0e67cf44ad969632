import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { silentLogger } from '../../../src/core/logger';
import { requireWorkspaceConfig } from '../../../src/core/config/loader';
import { restampEspIdfImage } from '../../../src/core/image/espIdfRestamp';
import type { RunReport } from '../../../src/core/plan/runReport';
import type { UpdateSession } from '../../../src/core/protocol/management';
import { createRelease } from '../../../src/core/release/createRelease';
import { loadSigningKey } from '../../../src/core/signing/loadKey';
import type { RunningServer } from '../../../src/server/startServer';
import { espBlink, mcubootDir, repoPath } from '../../helpers/fixtures';
import { launchChromium } from '../../host/browser';
import { otaWithEnv } from '../cli/inProcess';
import { makeWorkspace } from '../release/workspace';
import { api, removeDir, start, tempDir, token } from '../server/helpers/server';

const keyPem = readFileSync(join(mcubootDir, 'root-ed25519.pem'), 'utf8');
const env = { OTA_SERVER_TOKEN: token, OTA_TEST_SIGNING_KEY: keyPem };

async function firstRelease(folder: string, label?: string): Promise<void> {
  const loaded = await requireWorkspaceConfig(folder);
  await createRelease({
    channel: loaded.config.channels[0]!,
    folder,
    releasesRoot: join(folder, '.ota', 'releases'),
    mode: { kind: 'release' },
    restamp: false,
    ...(label ? { label } : {}),
    build: true,
    key: loadSigningKey({ label: 'root-ed25519.pem', pem: keyPem }),
    production: false,
    buildOptions: { env: process.env },
    log: silentLogger,
  });
}

async function sessionsOf(server: RunningServer, deploymentId: string): Promise<UpdateSession[]> {
  return ((await api(server, 'GET', '/api/v1/sessions?limit=10000')).json as UpdateSession[]).filter((s) => s.deploymentId === deploymentId);
}

/**
 * The seed's stress test against the real server on 127.0.0.1 with ten simulated devices. The
 * simulator has no clock to fast-forward, so the server's offline window is 3 s (the seed's 60 s
 * scaled down, as `ota serve --offline-timeout` allows): devices 1-3 drop for 1.5 s mid-download
 * (under the window: they resume), devices 4-5 for 6 s (over it: the server fails the update).
 */
describe('ota stress over simulated devices', function () {
  this.timeout(180_000);
  let dir: string;
  let server: RunningServer;

  beforeEach(async () => {
    dir = await tempDir('ota-stress-');
    server = await start(join(dir, 'server'), { offlineTimeoutMs: 3000, pollingSleepSec: 1 });
  });
  afterEach(async () => {
    await server.close(0);
    await removeDir(dir);
  });

  it('3 cycles × 10 devices with drops under and over the offline window: the report matches the server sessions, and its HTML renders in Chromium', async () => {
    const folder = makeWorkspace();
    await firstRelease(folder);
    const run = await otaWithEnv(folder, env, 'stress', '--channel', 'main', '--cycles', '3', '--server', server.url, '--simulate', '10', '--fault', '1-3=drop:1.5s@40%', '--fault', '4,5=drop:6s@40%', '--cycle-timeout', '60', '--json');
    assert.equal(run.code, 0, run.stderr + run.stdout);
    const out = JSON.parse(run.stdout) as { ok: boolean; dir: string; report: RunReport };
    const onDisk = JSON.parse(readFileSync(join(out.dir, 'report.json'), 'utf8')) as RunReport;
    assert.deepEqual(onDisk, out.report);
    assert.ok(out.dir.startsWith(join(folder, '.ota', 'reports')), out.dir);
    const r = onDisk;
    assert.equal(r.complete, true);
    assert.deepEqual(r.versions.labels, ['1.0.1', '1.0.2', '1.0.3']);
    assert.equal(r.devices.length, 10);
    assert.equal(r.cycles.length, 3);
    assert.equal(r.results.length, 30);
    for (const c of r.cycles) {
      const sessions = await sessionsOf(server, c.deploymentId);
      // One session per device and cycle, and the report's counts are the server's.
      assert.equal(sessions.length, 10);
      assert.equal(c.counts.succeeded, sessions.filter((s) => s.state === 'succeeded').length);
      assert.equal(c.counts.failed, sessions.filter((s) => s.state === 'failed').length);
      assert.equal(c.counts.succeeded, 8, JSON.stringify(c.counts));
      assert.equal(c.counts.failed, 2);
      for (const d of r.results.filter((x) => x.cycle === c.cycle)) {
        const s = sessions.find((x) => x.deviceId === d.deviceId)!;
        assert.equal(d.sessionId, s.id);
        assert.equal(d.bytes, s.bytesServed);
        assert.equal(d.bytesTwice, (s.bytesSent ?? 0) - s.bytesServed);
        assert.equal(d.resumes, s.resumes ?? 0);
        assert.equal(d.offlineMs, s.offlineMs ?? 0);
        const n = Number(d.deviceId.replace(/^sim-0?/, ''));
        if (n <= 3) {
          assert.equal(d.result, 'succeeded', `${d.deviceId}: ${d.reason}`);
          assert.equal(d.resumes, 1, `${d.deviceId} cycle ${d.cycle} resumed once`);
          assert.ok(d.offlineMs >= 1400 && d.offlineMs < 3000, `${d.deviceId} offline ${d.offlineMs} ms`);
        } else if (n <= 5) {
          assert.equal(d.result, 'failed');
          assert.match(d.reason ?? '', /longer than the offline timeout of 3 s/);
        } else {
          assert.equal(d.result, 'succeeded');
          assert.equal(d.resumes, 0);
          assert.equal(d.offlineMs, 0);
          assert.equal(d.bytesTwice, 0);
          assert.equal(d.bytes, s.size);
        }
        if (d.result === 'succeeded') {
          // A relabelled image: the device runs the version inside it, which is what was expected.
          assert.equal(d.running, r.versions.embedded);
          assert.equal(d.runsExpected, true);
          assert.match(d.versionNote, /the version inside the image .*not a failure/);
        }
      }
    }
    const md = readFileSync(join(out.dir, 'report.md'), 'utf8');
    assert.match(md, /\| 1 \| 1\.0\.1 \| 8 \| 2 \| 0 \| 0 \| 0 \| 0 \|/);
    const html = readFileSync(join(out.dir, 'report.html'), 'utf8');
    assert.doesNotMatch(html, /<script|(src|href)=["']?https?:/i);
    await screenshot(join(out.dir, 'report.html'), 'stress-report.png', async (page) => {
      for (const id of ['chart-cycles', 'chart-kbps', 'chart-resumes', 'chart-offline', 'chart-timeline']) {
        const box = await page.locator(`#${id}`).boundingBox();
        assert.ok(box && box.width > 300 && box.height > 50, `${id} is drawn: ${JSON.stringify(box)}`);
      }
      // 8 succeeded of 10 in each cycle's bar, the seed's limits marked.
      assert.equal(await page.locator('#chart-cycles rect').filter({ hasText: 'succeeded' }).count(), 3 + 1);
      assert.match(await page.locator('#chart-kbps').textContent() ?? '', /seed minimum 20 kbps/);
      assert.match(await page.locator('#chart-offline').textContent() ?? '', /seed window 60 s.*this server's window 3 s/);
    });
  });

  it('a rollback below an ESP-IDF device\'s secure_version is predicted refused, and is refused', async () => {
    const folder = makeWorkspace();
    await firstRelease(folder);
    // 1.1.0 raises secure_version to 2: devices that run it burn 2 into their eFuse.
    const raised = restampEspIdfImage(readFileSync(espBlink), espBlink, { version: '1.1.0', secureVersion: 2 }).bytes;
    writeFileSync(join(folder, 'fw', 'blink.src'), raised);
    await firstRelease(folder, '1.1.0');
    const run = await otaWithEnv(folder, env, 'rollback', '--channel', 'main', '--to', '1.0.0', '--yes', '--server', server.url, '--simulate', '3', '--behaviour', 'esp-idf', '--cycle-timeout', '60', '--json');
    assert.equal(run.code, 0, run.stderr + run.stdout);
    const r = (JSON.parse(run.stdout) as { report: RunReport }).report;
    const rb = r.rollback!;
    assert.equal(rb.label, '1.1.1');
    assert.equal(rb.secureVersion, 0);
    assert.equal(rb.predictions.length, 3);
    for (const p of rb.predictions) {
      assert.equal(p.verdict, 'refused', JSON.stringify(p));
      assert.match(p.rules.find((x) => !x.accepts)?.reason ?? '', /secure_version 0 is below the device's 2 \(release 1\.1\.0/);
      assert.match(p.dashboard, /failed update/);
    }
    assert.deepEqual(rb.outcomes.map((o) => [o.actual, o.matches]), [['refused', true], ['refused', true], ['refused', true]]);
    const sessions = await sessionsOf(server, r.cycles[0]!.deploymentId);
    assert.equal(sessions.length, 3);
    for (const s of sessions) {
      assert.equal(s.state, 'failed');
      assert.match(s.failureReason ?? '', /device rejected the update: refused: secure_version 0 is lower than the running 2/);
    }
    // The devices kept 1.1.0.
    for (const d of r.results) assert.equal(d.running, '1.1.0');
    assert.ok(existsSync(join(folder, '.ota', 'releases', 'p1', 'main', '1.1.1')));
  });

  it('a dry run predicts and releases nothing', async () => {
    const folder = makeWorkspace();
    await firstRelease(folder);
    const run = await otaWithEnv(folder, env, 'rollback', '--channel', 'main', '--to', '1.0.0', '--dry-run', '--server', server.url, '--simulate', '2');
    assert.equal(run.code, 0, run.stderr);
    // Same embedded version as the running 1.0.0: the ESP-IDF example would skip it.
    assert.match(run.stdout, /sim-1: REFUSED\n {4}ESP-IDF OTA example \(version check\): REFUSES/);
    assert.equal(existsSync(join(folder, '.ota', 'releases', 'p1', 'main', '1.0.1')), false);
    assert.equal(((await api(server, 'GET', '/api/v1/status')).json as { deployments: unknown[] }).deployments.length, 0);
  });
});

async function screenshot(file: string, name: string, check: (page: Page) => Promise<void>): Promise<void> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const requests: string[] = [];
    page.on('request', (req) => {
      if (!req.url().startsWith('file:')) requests.push(req.url());
    });
    await page.goto(`file://${file}`);
    await check(page);
    assert.deepEqual(requests, [], 'the report loads nothing from elsewhere');
    const outDir = repoPath('test-results');
    mkdirSync(outDir, { recursive: true });
    await page.screenshot({ path: join(outDir, name), fullPage: true });
  } finally {
    await browser.close();
  }
}
