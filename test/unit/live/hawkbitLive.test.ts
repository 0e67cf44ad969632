import * as assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StatusReport } from '../../../src/core/protocol/management';
import { pollStatus } from '../../../src/providers/statusPoller';
import { describeView } from '../../../webview/describe';
import { LiveState } from '../../../webview/liveState';
import { deployOnDouble } from '../../doubles/hawkbit/deployedRelease';
import { HawkbitDouble } from '../../doubles/hawkbit/hawkbitDouble';

/**
 * The live view's model fed by a polled hawkBit (the double), as the editor's poll feed feeds it:
 * one snapshot, then the events each poll yields. What the webview would show is read from its
 * own state.
 */
describe('live view state following a polled hawkBit server', () => {
  it('shows the targets, an action moving to succeeded, and the why-not of a target that does not match, which stays after the others installed', async () => {
    const double = await new HawkbitDouble('legacy').start();
    const dir = await mkdtemp(join(tmpdir(), 'ota-hb-live-'));
    const abort = new AbortController();
    try {
      double.addTarget('hb-1', { pid: 'P', fw_key: 'K1', channel: 'main', version: '1.0.0' });
      double.addTarget('hb-2', { pid: 'P', fw_key: 'K9', channel: 'main', version: '1.0.0' });
      const { provider } = await deployOnDouble(double, dir, '1.1.0', 1024);
      double.report('hb-1', 'download', 'Downloading');

      const state = new LiveState();
      const initial: StatusReport = await provider.status();
      state.applySnapshot({ source: { kind: 'remote', name: 'cloud', url: double.url }, status: initial, expectations: {}, byPid: { P: { pid: 'P', fwKeys: ['K1'], channels: ['main'] } } });
      let id = 0;
      const polled = pollStatus(provider, { intervalMs: 20, signal: abort.signal, nextId: () => ++id, initial }, { onEvents: (events) => events.forEach((e) => state.applyEvent(e)) });
      const shows = async (what: string, test: (d: ReturnType<typeof describeView>) => boolean) => {
        const deadline = Date.now() + 10_000;
        while (!test(describeView(state))) {
          if (Date.now() > deadline) assert.fail(`the view never showed ${what}: ${JSON.stringify(describeView(state))}`);
          await new Promise((r) => setTimeout(r, 20));
        }
        return describeView(state);
      };
      const first = describeView(state);
      assert.deepEqual(first.devices.map((d) => d.id).sort(), ['hb-1', 'hb-2']);
      assert.deepEqual(first.sessions.map((s) => [s.deviceId, s.state]), [['hb-1', 'downloading']]);
      assert.deepEqual(first.notOffered.map((n) => n.deviceId), ['hb-2']);
      assert.match(first.devices.find((d) => d.id === 'hb-2')?.mismatch.join() ?? '', /fw_key K9 is not bound/, 'the unbound key is marked against the config');
      double.report('hb-1', 'finished', 'Installed');
      const done = await shows('the action succeeded', (d) => d.sessions.some((s) => s.state === 'succeeded'));
      assert.equal(done.sessions[0]!.progress, 1);
      assert.ok(done.eventsApplied > 0);
      assert.deepEqual(done.notOffered.map((n) => n.deviceId), ['hb-2'], 'hb-2 is still not offered the release after hb-1 installed it');
      double.state.target('hb-2')!.attributes.fw_key = 'K1';
      await shows('the why-not cleared once hb-2 reports a bound key', (d) => d.notOffered.length === 0);
      abort.abort();
      await polled;
    } finally {
      abort.abort();
      await double.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
