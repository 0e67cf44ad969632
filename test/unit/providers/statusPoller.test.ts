import * as assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerEvent, StatusReport, UpdateSession } from '../../../src/core/protocol/management';
import { HawkbitProvider } from '../../../src/providers/hawkbit/hawkbitProvider';
import { pollStatus } from '../../../src/providers/statusPoller';
import { HawkbitDouble } from '../../doubles/hawkbit/hawkbitDouble';

/** Following a hawkBit deployment by polling, as the live view and `ota watch` do, over the double. */
describe('status poller over a hawkBit double', () => {
  let double: HawkbitDouble;
  let dir: string;

  beforeEach(async () => {
    double = await new HawkbitDouble('current').start();
    dir = await mkdtemp(join(tmpdir(), 'ota-poll-'));
  });

  afterEach(async () => {
    await double.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Runs a poller, collecting what it tells; `until` waits for a condition on what was collected. */
  function follow(provider: HawkbitProvider, intervalMs: number) {
    const events: ServerEvent[] = [];
    const reports: StatusReport[] = [];
    const errors: unknown[] = [];
    const recovered: StatusReport[] = [];
    const abort = new AbortController();
    let id = 0;
    const done = pollStatus(provider, { intervalMs, signal: abort.signal, nextId: () => ++id }, {
      onReport: (r) => reports.push(r),
      onEvents: (e) => events.push(...e),
      onError: (err) => errors.push(err),
      onRecovered: (r) => recovered.push(r),
    });
    const until = async (what: string, test: () => boolean) => {
      const deadline = Date.now() + 10_000;
      while (!test()) {
        if (Date.now() > deadline) assert.fail(`never saw ${what}; events ${JSON.stringify(events.map((e) => e.type))}, errors ${errors.map(String).join('; ')}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    return { events, reports, errors, recovered, until, stop: async () => (abort.abort(), done) };
  }

  it('turns targets, actions and their status history into live-model events, with each device’s why-not', async () => {
    double.addTarget('dev-ok', { pid: 'P', fw_key: 'K1', channel: 'main' });
    double.addTarget('dev-wrong', { pid: 'P', fw_key: 'KX', channel: 'main' });
    const provider = new HawkbitProvider({ name: 'cloud', url: double.url, username: 'admin', credential: 'admin', credentialRef: '${env:HB}' }, { products: [{ pid: 'P', keys: ['K1'] }] });
    const file = join(dir, 'fw.bin');
    await writeFile(file, Buffer.alloc(2048, 1));
    const watch = follow(provider, 30);
    try {
      await watch.until('the first report', () => watch.reports.length > 0);
      assert.equal(watch.events.length, 0, 'the first report is the starting point, not a burst of events');
      assert.deepEqual(watch.reports[0]!.devices.map((d) => d.id).sort(), ['dev-ok', 'dev-wrong']);
      const release = await provider.publish({ file, pid: 'P', fwKey: 'K1', channel: 'main', label: '2.0.0' });
      await provider.deploy({ releaseId: release.id, pid: 'P', fwKey: 'K1', channel: 'main', type: 'forced' });
      await watch.until('the why-not of the device with the wrong key', () => watch.events.some((e) => e.type === 'device.not-offered' && (e.data as { deviceId: string }).deviceId === 'dev-wrong'));
      const whyNot = watch.events.find((e) => e.type === 'device.not-offered')!.data as { reason: string };
      assert.match(whyNot.reason, /KX/);
      double.report('dev-ok', 'download', 'Downloading fw.bin');
      await watch.until('the session downloading', () => watch.events.some((e) => e.type === 'session.updated' && (e.data as UpdateSession).state === 'downloading'));
      double.report('dev-ok', 'finished', 'Installed');
      await watch.until('the session succeeded', () => watch.events.some((e) => e.type === 'session.updated' && (e.data as UpdateSession).state === 'succeeded'));
      const done = watch.events.filter((e) => e.type === 'session.updated').at(-1)!.data as UpdateSession;
      assert.equal(done.deviceId, 'dev-ok');
      assert.equal(done.progress, 1);
      assert.ok(done.details.some((line) => /finished: Installed/.test(line)), JSON.stringify(done.details));
      assert.ok(watch.events.some((e) => e.type === 'deployment.created'), 'the deployment shows up as created');
      assert.deepEqual(watch.events.map((e) => e.id), watch.events.map((_, i) => i + 1), 'event ids count up without gaps');
    } finally {
      await watch.stop();
    }
  });

  it('keeps polling through a failing server and says when it is back', async () => {
    const provider = new HawkbitProvider({ name: 'cloud', url: double.url, username: 'admin', credential: 'admin', credentialRef: '${env:HB}' });
    const watch = follow(provider, 30);
    try {
      await watch.until('the first report', () => watch.reports.length > 0);
      double.faults.push({ method: 'GET', path: /^\/rest\/v1\/targets$/, status: 500, times: 2 });
      await watch.until('an error', () => watch.errors.length > 0);
      double.addTarget('late');
      await watch.until('the recovery', () => watch.recovered.length > 0);
      assert.ok(watch.recovered[0]!.devices.some((d) => d.id === 'late'));
      assert.ok(watch.events.some((e) => e.type === 'device.seen' && (e.data as { id: string }).id === 'late'));
    } finally {
      await watch.stop();
    }
    const asked = double.requests.length;
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(double.requests.length, asked, 'no request after the poller stopped');
  });
});
