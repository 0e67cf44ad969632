import * as assert from 'node:assert/strict';
import type { Device, ServerEvent, StatusReport, UpdateSession } from '../../../src/core/protocol/management';
import { LiveState } from '../../../webview/liveState';
import { mismatches } from '../../../webview/mismatch';
import type { LiveSnapshot } from '../../../webview/protocol';

const device = (id: string, attributes: Record<string, string>, whyNot: Device['whyNot'] = []): Device => ({ id, protocol: 'ddi', attributes, firstSeen: 't0', lastSeen: 't0', whyNot });
const session = (state: UpdateSession['state'], lastActivity: string, progress: number): UpdateSession => ({
  id: '7', deploymentId: '5', releaseId: '4', deviceId: 'd1', state, size: 100, bytesServed: progress * 100, progress, startedAt: 't0', lastActivity, slow: false, details: [],
});

function snapshot(status: Partial<StatusReport>): LiveSnapshot {
  return {
    source: { kind: 'embedded', name: 'local', url: 'http://127.0.0.1:1' },
    status: { server: { version: '0', startedAt: 't0', offlineTimeoutMs: 60_000, minBandwidthBps: 20_000, tls: false }, products: [], releases: [], deployments: [], devices: [], sessions: [], ...status },
    expectations: {},
    byPid: { P1: { pid: 'P1', fwKeys: ['K1', 'K0'], channels: ['main'] } },
  };
}

let nextId = 1;
const event = (type: ServerEvent['type'], data: unknown): ServerEvent => ({ id: nextId++, at: '2026-01-01T00:00:00.000Z', type, data });

describe('live view state (webview)', () => {
  it('keeps the snapshot’s newer session when the server replays an older event on connect', () => {
    const state = new LiveState();
    state.applySnapshot(snapshot({ sessions: [session('succeeded', '2026-01-01T00:00:09.000Z', 1)] }));
    state.applyEvent(event('session.updated', session('downloading', '2026-01-01T00:00:05.000Z', 0.4)));
    assert.equal(state.sessions.get('7')?.state, 'succeeded');
    state.applyEvent(event('session.updated', session('failed', '2026-01-01T00:00:10.000Z', 1)));
    assert.equal(state.sessions.get('7')?.state, 'failed');
  });

  it('logs a session when its state changes, not on every progress tick', () => {
    const state = new LiveState();
    state.applySnapshot(snapshot({}));
    state.applyEvent(event('session.updated', session('downloading', '2026-01-01T00:00:01.000Z', 0.1)));
    state.applyEvent(event('session.updated', session('downloading', '2026-01-01T00:00:02.000Z', 0.5)));
    state.applyEvent(event('session.updated', session('installing', '2026-01-01T00:00:03.000Z', 1)));
    assert.deepEqual(state.log.map((l) => l.text), ['d1: update to release 4 installing', 'd1: update to release 4 downloading']);
    assert.equal(state.eventsApplied, 3);
  });

  it('fills the log from the host’s history after a reload without applying it again, once per event', () => {
    const state = new LiveState();
    state.applySnapshot(snapshot({ devices: [device('d1', { version: '1.1.0' })] }));
    const older = event('device.attributes', device('d1', { version: '1.0.0' }));
    const ticks = [session('downloading', 'a', 0.1), session('downloading', 'b', 0.2), session('succeeded', 'c', 1)].map((s) => event('session.updated', s));
    state.addHistory([older, ...ticks]);
    state.addHistory([older]);
    assert.equal(state.devices.get('d1')?.attributes.version, '1.1.0');
    assert.deepEqual(state.log.map((l) => l.text), ['d1: update to release 4 succeeded', 'd1: update to release 4 downloading', 'd1 reports pid –, fw_key –, channel –, version 1.0.0']);
    assert.equal(state.eventsApplied, 0);
  });

  it('drops a why-not record when the server says it was cleared', () => {
    const state = new LiveState();
    const d = device('d1', { pid: 'P1', fw_key: 'K9', channel: 'main' }, [{ deploymentId: '5', reason: 'device d1 reports fw_key K9', at: 't1' }]);
    state.applySnapshot(snapshot({ devices: [d] }));
    state.applyEvent(event('device.not-offered', { deviceId: 'd1', deploymentId: '6', reason: 'device d1 reports fw_key K9', at: 't2' }));
    assert.deepEqual(state.whyNotOf(state.devices.get('d1')!).map((w) => w.deploymentId), ['5', '6']);
    state.applyEvent(event('device.not-offered-cleared', { deviceId: 'd1', deploymentId: '5', at: 't3' }));
    assert.deepEqual(state.whyNotOf(state.devices.get('d1')!).map((w) => w.deploymentId), ['6']);
    assert.equal(state.log[0]!.text, 'd1 is offered deployment 5 now');
  });

  it('keeps lastSeen from device.seen events and logs only the first contact', () => {
    const state = new LiveState();
    state.applySnapshot(snapshot({}));
    const seen = (lastSeen: string): Device => ({ ...device('d1', {}), firstSeen: '2026-01-01T00:00:01.000Z', lastSeen });
    state.applyEvent(event('device.seen', seen('2026-01-01T00:00:01.000Z')));
    state.applyEvent(event('device.seen', seen('2026-01-01T00:00:06.000Z')));
    state.applyEvent(event('device.seen', seen('2026-01-01T00:00:03.000Z')));
    assert.equal(state.devices.get('d1')?.lastSeen, '2026-01-01T00:00:06.000Z', 'an older replayed event does not move it back');
    assert.deepEqual(state.log.map((l) => l.text), ['d1 contacted the server for the first time']);
    state.addHistory([event('device.seen', seen('2026-01-01T00:00:11.000Z'))]);
    assert.equal(state.log.length, 1, 'repeated contacts from the host\'s history stay out of the log too');
  });

  it('compares reported attributes with the config: an unbound key and another channel are named, a bound old key is not', () => {
    const expected = { pid: 'P1', fwKeys: ['K1', 'K0'], channels: ['main'] };
    assert.deepEqual(mismatches(device('a', { pid: 'P1', fw_key: 'K0', channel: 'main' }), expected), []);
    assert.deepEqual(mismatches(device('b', { pid: 'P1', fw_key: 'K9', channel: 'ble' }), expected), ['fw_key K9 is not bound (expected K1 or K0)', 'channel ble, expected main']);
    assert.deepEqual(mismatches(device('c', { pid: 'P7' }), undefined), ['PID P7 is not a product in the workspace config']);
  });

  it('counts devices, not sessions: a fleet updated twice is still its devices (the demo run twice showed "5 devices · 8 updated")', () => {
    const state = new LiveState();
    const s = (id: string, deviceId: string, st: UpdateSession['state']): UpdateSession => ({ ...session(st, `2026-01-01T00:00:0${id}.000Z`, 1), id, deviceId });
    state.applySnapshot(snapshot({ devices: [device('d1', {}), device('d2', {}), device('d3', {})], sessions: [s('1', 'd1', 'succeeded'), s('2', 'd2', 'succeeded'), s('3', 'd3', 'failed')] }));
    // The second run: d1 and d2 update again, d3 is under way this time.
    for (const x of [s('4', 'd1', 'succeeded'), s('5', 'd2', 'succeeded'), s('6', 'd3', 'downloading')]) state.applyEvent(event('session.updated', x));
    assert.deepEqual(state.counts(), { devices: 3, updating: 1, updated: 2, failed: 0, notOffered: 0 });
    assert.equal(state.latestSession('d3')?.id, '6');
  });

  it('keeps the device ids sorted as devices arrive, without sorting the fleet again', () => {
    const state = new LiveState();
    state.applySnapshot(snapshot({ devices: ['d5', 'd1', 'd3'].map((id) => device(id, {})) }));
    for (const id of ['d4', 'd0', 'd9', 'd3']) state.applyEvent(event('device.seen', { ...device(id, {}), firstSeen: 't0', lastSeen: 't1' }));
    assert.deepEqual(state.sortedIds, ['d0', 'd1', 'd3', 'd4', 'd5', 'd9']);
  });

  it('records each session’s progress and throughput over time for its chart', () => {
    const state = new LiveState();
    state.applySnapshot(snapshot({}));
    const tick = (t: string, progress: number, bps: number): UpdateSession => ({ ...session('downloading', t, progress), throughputBps: bps });
    state.applyEvent(event('session.updated', tick('2026-01-01T00:00:01.000Z', 0.1, 40_000)));
    state.applyEvent(event('session.updated', tick('2026-01-01T00:00:02.000Z', 0.3, 48_000)));
    state.applyEvent(event('session.updated', tick('2026-01-01T00:00:01.500Z', 0.2, 1)));
    assert.deepEqual(state.samples.of('7').map((x) => [x.progress, x.bps]), [[0.1, 40_000], [0.3, 48_000]], 'an older replayed tick is not drawn');
  });
});
