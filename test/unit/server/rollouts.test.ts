import * as assert from 'node:assert/strict';
import type { RolloutSummary, UpdateSession } from '../../../src/core/protocol/management';
import { buildSyntheticEspImage } from '../../../src/device/simulator/syntheticImage';
import type { SimulatedDevice } from '../../../src/device/simulator/simulatedDevice';
import type { SimHarness } from '../device/helpers/simHarness';
import { simHarnessEachTest } from '../device/helpers/simHarness';
import { api } from './helpers/server';
import { tapEvents } from './helpers/sse';

/**
 * Staged rollouts on our server, with simulated devices doing real updates over DDI: groups start
 * one after the other, a group over its error threshold pauses the rollout, and the rollout
 * survives a restart of the server in the middle.
 */
describe('staged rollouts on the OTA server', function () {
  this.timeout(90_000);
  let h: SimHarness;
  const v100 = buildSyntheticEspImage({ version: '1.0.0', size: 24 * 1024 });
  const v101 = buildSyntheticEspImage({ version: '1.0.1', size: 24 * 1024 });

  simHarnessEachTest(10_000, (started) => (h = started));

  async function rollout(id: string): Promise<RolloutSummary> {
    const reply = await api(h.server, 'GET', `/api/v1/rollouts/${id}`);
    assert.equal(reply.status, 200, reply.body.toString());
    return reply.json as RolloutSummary;
  }

  async function act(id: string, action: string): Promise<RolloutSummary> {
    const reply = await api(h.server, 'POST', `/api/v1/rollouts/${id}/${action}`);
    assert.equal(reply.status, 200, `${action}: ${reply.body.toString()}`);
    return reply.json as RolloutSummary;
  }

  async function untilState(id: string, state: RolloutSummary['state'], ms = 40_000): Promise<RolloutSummary> {
    let last: RolloutSummary | undefined;
    try {
      return await h.until(async () => {
        last = await rollout(id);
        return last.state === state ? last : undefined;
      }, ms, `rollout ${id} to be ${state}`);
    } catch (err) {
      const sessions = (await allSessions()).map((s) => `${s.deviceId}/${s.deploymentId}:${s.state}${s.failureReason ? ` (${s.failureReason})` : ''}`);
      throw new Error(`${(err as Error).message}; it is ${JSON.stringify(last)}; sessions ${sessions.join(', ')}`, { cause: err });
    }
  }

  /** Group `index` once its devices have ended: d4 and d5 failed, d6 succeeded. */
  function untilGroupSettled(id: string, index: number): Promise<RolloutSummary> {
    return h.until(async () => {
      const r = await rollout(id);
      const c = r.groups[index]!.counts;
      return c.failed === 2 && c.succeeded === 1 ? r : undefined;
    }, 30_000, `group ${index + 1} of rollout ${id} to have 2 failed and 1 succeeded`);
  }

  async function allSessions(): Promise<UpdateSession[]> {
    return (await api(h.server, 'GET', '/api/v1/sessions')).json as UpdateSession[];
  }

  /** Devices d1…dN on the release's PID, key and channel, all reporting 1.0.0. */
  async function fleet(n: number, faulty: Record<string, number> = {}): Promise<Map<string, SimulatedDevice>> {
    const devices = new Map<string, SimulatedDevice>();
    for (let i = 1; i <= n; i++) {
      const id = `d${i}`;
      const fails = faulty[id] ?? 0;
      const { device } = h.device({ id, factoryImage: v100, faults: Array.from({ length: fails }, () => ({ kind: 'self-test' as const, fail: true })) });
      devices.set(id, device);
    }
    await Promise.all([...devices.keys()].map((id) => h.online(id)));
    return devices;
  }

  it('a 3-group rollout pauses when its second group fails over the error threshold, and completes once the fault is cleared', async () => {
    // d4 and d5 fail their self-test on every new image until their fault is cleared.
    const devices = await fleet(9, { d4: 10, d5: 10 });
    const release = await h.release(v101, '1.0.1');
    const tap = await tapEvents(h.server);
    try {
      const created = await api(h.server, 'POST', '/api/v1/rollouts', { name: 'spring', releaseId: release.id, groups: 3, successThreshold: 100, errorThreshold: 30 });
      assert.equal(created.status, 201, created.body.toString());
      const r0 = created.json as RolloutSummary;
      assert.equal(r0.state, 'ready');
      assert.deepEqual(r0.groups.map((g) => g.devices), [['d1', 'd2', 'd3'], ['d4', 'd5', 'd6'], ['d7', 'd8', 'd9']]);
      assert.deepEqual(r0.counts, { total: 9, pending: 9, running: 0, succeeded: 0, failed: 0 });
      // Nothing is offered before the rollout starts.
      assert.equal((await allSessions()).length, 0);

      await act(r0.id, 'start');
      const paused = await untilState(r0.id, 'paused');
      assert.deepEqual(paused.groups.map((g) => g.state), ['succeeded', 'error', 'scheduled']);
      assert.equal(paused.groups[0]!.counts.succeeded, 3);
      // The first failure is already over 30% of three devices.
      assert.match(paused.reason ?? '', /^group 2: [12] of 3 device\(s\) failed \(\d+%\), over the error threshold of 30%; fix the cause, then resume/);
      // A pause starts no new group but lets the updates under way end: d5 fails too, d6 succeeds.
      await untilGroupSettled(r0.id, 1);
      assert.deepEqual(paused.groups[2]!.counts, { total: 3, pending: 3, running: 0, succeeded: 0, failed: 0 });
      // While paused, the third group is never offered the release, however often its devices poll.
      await new Promise((r) => setTimeout(r, 1500));
      assert.deepEqual((await allSessions()).filter((s) => ['d7', 'd8', 'd9'].includes(s.deviceId)), []);

      // Resuming without fixing the cause: the failed devices try again, fail again, and it pauses again.
      await act(r0.id, 'resume');
      await h.until(async () => ((await allSessions()).filter((s) => s.deviceId === 'd4').length >= 2 ? true : undefined), 20_000, 'a second attempt on d4');
      const again = await untilState(r0.id, 'paused');
      assert.equal(again.groups[1]!.state, 'error');
      await untilGroupSettled(r0.id, 1);

      // The cause fixed, the rollout goes through to the end.
      devices.get('d4')!.clearFaults();
      devices.get('d5')!.clearFaults();
      await act(r0.id, 'resume');
      const done = await untilState(r0.id, 'finished', 60_000);
      assert.deepEqual(done.groups.map((g) => g.state), ['succeeded', 'succeeded', 'succeeded']);
      assert.deepEqual(done.counts, { total: 9, pending: 0, running: 0, succeeded: 9, failed: 0 });
      assert.equal(done.groups[1]!.deploymentIds.length, 3, 'the group deployment and one retry per resume');
      // Every device runs the release: its newest session succeeded, reporting the label.
      for (const id of devices.keys()) {
        const s = (await h.sessions(id)).at(-1)!;
        assert.equal(s.state, 'succeeded', `${id}: ${s.failureReason}`);
        assert.equal(s.version?.running, '1.0.1', id);
      }
      await tap.until((e) => e.type === 'rollout.finished', 'rollout.finished on the event stream');
      const types = tap.events.map((e) => e.type).filter((t) => t.startsWith('rollout.') && t !== 'rollout.progress');
      assert.deepEqual(types, [
        'rollout.created',
        'rollout.group-started',
        'rollout.started',
        'rollout.group-started',
        'rollout.group-succeeded',
        'rollout.paused',
        'rollout.resumed',
        'rollout.paused',
        'rollout.resumed',
        'rollout.group-started',
        'rollout.group-succeeded',
        'rollout.group-succeeded',
        'rollout.finished',
      ]);
    } finally {
      tap.close();
    }
  });

  it('keeps its state across a server restart in the middle, and goes on after an approve', async () => {
    await fleet(4);
    const release = await h.release(v101, '1.0.1');
    const created = await api(h.server, 'POST', '/api/v1/rollouts', { name: 'approved', releaseId: release.id, groups: [{ count: 1 }, { percent: 50 }], advance: 'approve' });
    assert.equal(created.status, 201, created.body.toString());
    const id = (created.json as RolloutSummary).id;
    assert.deepEqual((created.json as RolloutSummary).groups.map((g) => g.devices), [['d1'], ['d2', 'd3', 'd4']]);
    await act(id, 'start');
    const waiting = await untilState(id, 'waiting');
    assert.match(waiting.reason ?? '', /group 1 reached its success threshold; approve to start group 2/);

    await h.restart();
    const after = await rollout(id);
    assert.equal(after.state, 'waiting');
    assert.deepEqual(after.groups.map((g) => [g.state, g.counts.succeeded, g.counts.pending]), [
      ['succeeded', 1, 0],
      ['scheduled', 0, 3],
    ]);
    assert.equal(after.reason, waiting.reason);
    // Still waiting for the approve after the restart: group 2 is not offered.
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal((await allSessions()).filter((s) => s.deviceId !== 'd1').length, 0);

    await act(id, 'approve');
    await h.until(async () => ((await rollout(id)).counts.running > 0 ? true : undefined), 20_000, 'group 2 to be running');
    // A restart while group 2 is updating: its devices finish against the new server process.
    await h.restart();
    const done = await untilState(id, 'finished', 60_000);
    assert.deepEqual(done.counts, { total: 4, pending: 0, running: 0, succeeded: 4, failed: 0 });
  });

  it('pause, resume and cancel: a cancelled rollout offers nothing more and ends its open sessions', async () => {
    await fleet(4);
    const release = await h.release(v101, '1.0.1');
    const created = await api(h.server, 'POST', '/api/v1/rollouts', { name: 'stopper', releaseId: release.id, devices: ['d1', 'd2', 'd3'], groups: [{ count: 1 }, { count: 2 }], advance: 'approve' });
    const id = (created.json as RolloutSummary).id;
    assert.equal((await act(id, 'start')).state, 'running');
    assert.equal((await act(id, 'pause')).state, 'paused');
    const approveWhilePaused = await api(h.server, 'POST', `/api/v1/rollouts/${id}/approve`);
    assert.equal(approveWhilePaused.status, 409);
    assert.match((approveWhilePaused.json as { hint: string }).hint, /resume it first/);
    assert.ok(['running', 'waiting'].includes((await act(id, 'resume')).state));
    const cancelled = await act(id, 'cancel');
    assert.equal(cancelled.state, 'cancelled');
    await new Promise((r) => setTimeout(r, 1000));
    // d4 was never part of it; d2 and d3 were in a group that never started.
    assert.deepEqual((await allSessions()).filter((s) => s.deviceId !== 'd1'), []);
    for (const s of await h.sessions('d1')) assert.ok(['succeeded', 'cancelled'].includes(s.state), s.state);
    const deployments = (await api(h.server, 'GET', '/api/v1/deployments')).json as { rolloutId?: string; state: string }[];
    assert.ok(deployments.every((d) => d.rolloutId === id && d.state === 'cancelled'));
    assert.equal((await api(h.server, 'DELETE', `/api/v1/rollouts/${id}`)).status, 204);
    assert.equal((await api(h.server, 'GET', `/api/v1/rollouts/${id}`)).status, 404);
  });
});
