import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { parseFault } from '../../../src/device/simulator/faults';
import { buildSyntheticEspImage } from '../../../src/device/simulator/syntheticImage';
import type { SimHarness } from './helpers/simHarness';
import { simHarnessEachTest } from './helpers/simHarness';

/**
 * The simulator against the real OTA server (in-process, 127.0.0.1).
 *
 * Timing: the seed's offline timeout is 60 s and its drops are 10 s, 59 s and 61 s. Waiting minutes
 * per test is not an option, so the timeout is 3 s and the drops keep their meaning relative to it
 * with the seed's absolute margins: well inside it (1 s, for 10 s), 1 s before it (2 s, for 59 s)
 * and 1 s after it (4 s, for 61 s); the failure must come at the timeout ±1 s, as in the issue.
 * Why 3 s: the server checks for silent sessions every min(1 s, timeout/4), so at 3 s a failure is
 * declared within 0.75 s after the timeout; the test allows 2 s late, for timer lag on a loaded CI machine.
 */
const offlineTimeoutMs = 3000;
const chunkBytes = 16 * 1024;

describe('simulated device against the real OTA server', function () {
  this.timeout(40_000);
  let h: SimHarness;
  const v100 = buildSyntheticEspImage({ version: '1.0.0', size: 64 * 1024 });
  const v101 = buildSyntheticEspImage({ version: '1.0.1', size: 64 * 1024 });

  simHarnessEachTest(offlineTimeoutMs, (started) => (h = started));

  it('polls, reports its attributes, downloads with Range, verifies, installs, reboots and confirms', async () => {
    const { device, events, lines } = h.device({ id: 'd-ok', factoryImage: v100, chunkBytes });
    const context = () => `\nstats: ${JSON.stringify(device.stats)}\nconsole:\n${lines.join('\n')}`;
    const attrs = await h.online('d-ok');
    assert.deepEqual(attrs, { fw_key: 'K1', channel: 'main', pid: 'P1', version: '1.0.0', slot: 'ota_0' });
    await h.deploy(await h.release(v101, '1.0.1'));
    const session = await h.ended('d-ok');
    assert.equal(session.state, 'succeeded', `${session.failureReason}${context()}`);
    assert.equal(session.bytesServed, v101.length, JSON.stringify(session));
    assert.deepEqual(session.details.at(-1), 'running 1.0.1', JSON.stringify(session));
    assert.equal(device.runningVersion, '1.0.1');
    assert.equal(device.stats.rangeRequests, 4, `four 16 KiB ranges for 64 KiB${context()}`);
    await h.until(async () => ((await h.serverDevice('d-ok'))?.attributes['version'] === '1.0.1' ? true : undefined), 5000, 'the new version in configData');
    // The console, read by the serial parser, tells the same story.
    const story = events.filter((e) => ['ota-start', 'reboot', 'confirmed'].includes(e.kind) || e.source === 'esp-idf/app-version').map((e) => `${e.kind}${e.version ? ` ${e.version}` : ''}`);
    assert.deepEqual(story, ['app-info 1.0.0', 'ota-start', 'ota-start', 'reboot', 'app-info 1.0.1', 'confirmed'], context());
  });

  for (const [seedSeconds, dropSeconds] of [
    [10, 1],
    [59, (offlineTimeoutMs - 1000) / 1000],
  ] as const) {
    it(`a network drop of ${dropSeconds} s (the seed's ${seedSeconds} s, inside the timeout) resumes: the update completes and at most one chunk is fetched twice`, async () => {
      const { device } = h.device({ id: `d-drop${seedSeconds}`, factoryImage: v100, chunkBytes, faults: [parseFault(`drop:${dropSeconds}s@40%`)] });
      await h.online(`d-drop${seedSeconds}`);
      await h.deploy(await h.release(v101, '1.0.1'));
      const session = await h.ended(`d-drop${seedSeconds}`, 20_000);
      assert.equal(session.state, 'succeeded', session.failureReason);
      assert.equal(device.stats.drops, 1);
      assert.equal(device.stats.downloadsStarted, 1, 'one session, continued, not restarted');
      assert.equal(device.stats.resumes, 1);
      const refetched = device.stats.bytesReceived - v101.length;
      assert.ok(refetched >= 0 && refetched <= chunkBytes, `re-downloaded ${refetched} bytes for one drop (chunk ${chunkBytes})`);
      assert.equal(device.runningVersion, '1.0.1');
    });
  }

  it(`a drop of ${offlineTimeoutMs / 1000 + 1} s (the seed's 61 s, past the timeout): the server fails the session at the timeout (-1 s/+2 s); back online, the device starts a fresh session`, async () => {
    const { device, lines, events } = h.device({ id: 'd-drop61', factoryImage: v100, chunkBytes, faults: [parseFault(`drop:${offlineTimeoutMs / 1000 + 1}s@40%`)] });
    await h.online('d-drop61');
    await h.deploy(await h.release(v101, '1.0.1'));
    // The console line the device prints as its link goes, read by the parser: the moment of the drop.
    const dropAt = await h.until(() => events.find((e) => e.source === 'simulator/offline')?.time, 10_000, 'the drop');
    const failed = await h.ended('d-drop61', 15_000);
    assert.equal(failed.state, 'failed');
    assert.match(failed.failureReason ?? '', /silent for \d+ s, longer than the offline timeout of 3 s/);
    const declaredAfter = Date.parse(failed.endedAt!) - dropAt;
    // Not before the timeout less the seed's 1 s margin; late by at most 2 s: the sweep runs every
    // 0.75 s, and a loaded 2-core CI machine can delay a timer by a second more than that.
    assert.ok(declaredAfter >= offlineTimeoutMs - 1000 && declaredAfter <= offlineTimeoutMs + 2000, `failure declared ${declaredAfter} ms after the drop; timeout ${offlineTimeoutMs} ms`);
    // Back online, the device finds its action gone and drops the partial image instead of resuming it.
    await h.until(() => (lines.some((l) => /is no longer offered: discarding \d+ downloaded bytes/.test(l)) ? true : undefined), 10_000, 'the device discarding the old download');
    assert.equal(device.runningVersion, '1.0.0');
    // The server's why-not says to deploy again; the device then downloads from byte 0 in a new session.
    await h.deploy(await h.release(v101, '1.0.1-again'));
    const fresh = await h.ended('d-drop61', 15_000, failed.id);
    assert.equal(fresh.state, 'succeeded', fresh.failureReason);
    assert.notEqual(fresh.id, failed.id);
    assert.equal(device.stats.downloadsStarted, 2);
    assert.equal(device.stats.resumes, 0, 'nothing was resumed across the failed session');
    assert.equal(device.runningVersion, '1.0.1');
  });

  it('power loss during install: the device boots the old slot and reports the failure', async () => {
    const { device, events } = h.device({ id: 'd-power', factoryImage: v100, chunkBytes, faults: [parseFault('power-loss@install')] });
    await h.online('d-power');
    await h.deploy(await h.release(v101, '1.0.1'));
    const session = await h.ended('d-power');
    assert.equal(session.state, 'failed');
    assert.match(session.failureReason ?? '', /power lost during install; booted the previous image 1\.0\.0 from ota_0/);
    assert.equal(device.stats.powerLosses, 1);
    assert.equal(device.activeSlot, 0);
    assert.equal(device.runningVersion, '1.0.0');
    const boots = events.filter((e) => e.source === 'esp-idf/app-version').map((e) => e.version);
    assert.deepEqual(boots, ['1.0.0', '1.0.0'], 'power-on boot, then the boot after the cut: both the old image');
  });

  it('power loss at a byte of the download: RAM is lost, the device reboots and downloads again from byte 0', async () => {
    const { device } = h.device({ id: 'd-power-dl', factoryImage: v100, chunkBytes, faults: [parseFault('power-loss@30000')] });
    await h.online('d-power-dl');
    await h.deploy(await h.release(v101, '1.0.1'));
    const session = await h.ended('d-power-dl', 15_000);
    assert.equal(session.state, 'succeeded', session.failureReason);
    assert.equal(device.stats.powerLosses, 1);
    assert.equal(device.stats.downloadsStarted, 2);
    assert.equal(device.runningVersion, '1.0.1');
  });

  it('a flipped byte in transit: hash failure reported, nothing installed', async () => {
    const { device } = h.device({ id: 'd-flip', factoryImage: v100, chunkBytes, faults: [parseFault('flip@20000')] });
    await h.online('d-flip');
    await h.deploy(await h.release(v101, '1.0.1'));
    const session = await h.ended('d-flip');
    assert.equal(session.state, 'failed');
    assert.match(session.failureReason ?? '', /sha256 mismatch: expected [0-9a-f]{64}, computed [0-9a-f]{64}; nothing installed, still running 1\.0\.0/);
    assert.equal(device.stats.installs, 0);
    assert.equal(device.activeSlot, 0);
    assert.equal(device.runningVersion, '1.0.0');
    assert.equal((await fs.stat(`${h.dir}/devices/d-flip/slot1.bin`)).size, 0, 'the inactive slot was erased');
  });

  it('wrong key: no update is offered and the recorded reason names the key', async () => {
    const { device } = h.device({ id: 'd-key', factoryImage: v100, faults: [parseFault('wrong-key')] });
    await h.online('d-key');
    const deployment = await h.deploy(await h.release(v101, '1.0.1'));
    const why = await h.until(async () => (await h.serverDevice('d-key'))?.whyNot.find((w) => w.deploymentId === deployment.id && w.reason), 5000, 'a why-not record');
    assert.match(why.reason, /device d-key reports fw_key K1-wrong, channel main; deployment \d+ needs a key bound to PID P1 \(bound: K1\)/);
    assert.deepEqual(await h.sessions('d-key'), []);
    assert.equal(device.stats.downloadsStarted, 0);
  });

  it('a failing self-test rolls back to the old slot and reports what runs', async () => {
    const { device, events } = h.device({ id: 'd-selftest', factoryImage: v100, chunkBytes, faults: [parseFault('self-test:fail')] });
    await h.online('d-selftest');
    await h.deploy(await h.release(v101, '1.0.1'));
    const session = await h.ended('d-selftest');
    assert.equal(session.state, 'failed');
    assert.match(session.failureReason ?? '', /self-test failed on 1\.0\.1 \(offered as 1\.0\.1\); rolled back to 1\.0\.0/);
    assert.equal(device.stats.rollbacks, 1);
    assert.equal(device.runningVersion, '1.0.0');
    assert.deepEqual(
      events.filter((e) => e.source === 'esp-idf/app-version' || e.kind === 'rollback').map((e) => `${e.kind} ${e.version ?? ''}`.trim()),
      ['app-info 1.0.0', 'app-info 1.0.1', 'rollback', 'app-info 1.0.0'],
    );
  });
});

describe('simulated device: channel and self-test faults', function () {
  this.timeout(30_000);
  let h: SimHarness;
  const v100 = buildSyntheticEspImage({ version: '1.0.0', size: 32 * 1024 });
  const v101 = buildSyntheticEspImage({ version: '1.0.1', size: 32 * 1024 });

  simHarnessEachTest(offlineTimeoutMs, (started) => (h = started));

  it('wrong channel: no update is offered and the reason names the channel', async () => {
    h.device({ id: 'd-chan', factoryImage: v100, faults: [parseFault('wrong-channel')] });
    await h.online('d-chan');
    const deployment = await h.deploy(await h.release(v101, '1.0.1'));
    const why = await h.until(async () => (await h.serverDevice('d-chan'))?.whyNot.find((w) => w.deploymentId === deployment.id && w.reason), 5000, 'a why-not record');
    assert.match(why.reason, /reports fw_key K1, channel main-wrong; deployment \d+ is for channel main/);
    assert.deepEqual(await h.sessions('d-chan'), []);
  });

  it('a slow self-test: the device confirms late, within the offline timeout, and the update succeeds', async () => {
    const { device, events } = h.device({ id: 'd-slowtest', factoryImage: v100, faults: [parseFault('self-test:slow=1.5s')] });
    await h.online('d-slowtest');
    await h.deploy(await h.release(v101, '1.0.1'));
    await h.until(() => (device.phase === 'self-test' ? true : undefined), 10_000, 'the self-test phase');
    // While the new image tests itself, the server still waits for the verdict.
    assert.notEqual((await h.sessions('d-slowtest')).at(-1)?.state, 'succeeded');
    const session = await h.ended('d-slowtest', 20_000);
    assert.equal(session.state, 'succeeded', session.failureReason);
    assert.equal(device.runningVersion, '1.0.1');
    const boot = events.findIndex((e) => e.source === 'esp-idf/app-version' && e.version === '1.0.1');
    const confirmed = events.findIndex((e) => e.kind === 'confirmed');
    assert.ok(boot >= 0 && confirmed > boot, 'booted 1.0.1, then confirmed it');
  });
});
