import * as assert from 'node:assert/strict';
import type { RolloutSummary, ServerEvent, StatusReport } from '../../../src/core/protocol/management';
import { followEvents } from '../../../src/providers/ota/eventStream';
import { OtaProvider } from '../../../src/providers/ota/otaProvider';
import { StatusModel } from '../../../src/providers/statusModel';
import type { RunningServer } from '../../../src/server/startServer';
import { LiveState } from '../../../webview/liveState';
import type { LiveSnapshot } from '../../../webview/protocol';
import { api, removeDir, start, tempDir, token, uploadRelease } from '../server/helpers/server';

/**
 * Both views follow a staged rollout from our server's event stream: the OTA view's StatusModel and
 * the live view's state must end where a fresh `GET /status` is, at each step of a rollout created
 * and driven through the ota provider, with devices that report success and failure over DDI.
 */
describe('rollouts in the OTA view model and the live view state, from real server events', function () {
  this.timeout(30_000);
  let dir: string;
  let server: RunningServer;
  beforeEach(async () => {
    dir = await tempDir('ota-rollout-model-');
    server = await start(dir);
  });
  afterEach(async () => {
    await server.close();
    await removeDir(dir);
  });

  const status = async () => (await api(server, 'GET', '/api/v1/status')).json as StatusReport;
  /** What both views show of a rollout: its state and each group's state and counts. */
  const shown = (rollouts: readonly RolloutSummary[] | undefined) =>
    (rollouts ?? []).map((r) => `${r.id} ${r.name} ${r.state} ${JSON.stringify(r.counts)} | ${r.groups.map((g) => `${g.name}:${g.state}:${g.counts.succeeded}/${g.counts.total}:f${g.counts.failed}:r${g.counts.running}`).join(' ')}`).sort();
  const snapshotOf = (report: StatusReport): LiveSnapshot => ({ source: { kind: 'embedded', name: 'local', url: server.url }, status: report, expectations: {}, byPid: {} });

  const ddi = (id: string) => `${server.url}/DEFAULT/controller/v1/${id}`;
  async function device(id: string): Promise<void> {
    await fetch(ddi(id));
    await fetch(`${ddi(id)}/configData`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mode: 'replace', data: { pid: 'P', fw_key: 'K1', channel: 'main', version: '1.0.0' } }) });
  }
  /** The device polls, is offered its group's deployment and reports how the update ended. */
  async function finish(id: string, finished: 'success' | 'failure'): Promise<void> {
    const poll = (await (await fetch(ddi(id))).json()) as { _links?: { deploymentBase?: { href: string } } };
    const href = poll._links?.deploymentBase?.href;
    assert.ok(href, `${id} is offered its group's update: ${JSON.stringify(poll)}`);
    const action = /deploymentBase\/([^/?]+)/.exec(href)![1]!;
    const fb = await fetch(`${href.replace(/\?.*$/, '')}/feedback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: action, status: { execution: 'closed', result: { finished }, details: [finished] } }) });
    assert.equal(fb.status, 200, await fb.text());
  }

  it('end where a fresh status is after create, start, a success, a failure that pauses, and resume', async () => {
    const release = await uploadRelease(server, Buffer.alloc(2048, 1), { pid: 'P', fwKey: 'K1', channel: 'main', label: '1.1.0' });
    for (const id of ['d1', 'd2', 'd3', 'd4']) await device(id);
    const first = await status();
    const model = new StatusModel(first);
    const live = new LiveState();
    live.applySnapshot(snapshotOf(first));
    assert.deepEqual(model.report().rollouts, []);

    const events: ServerEvent[] = [];
    const abort = new AbortController();
    let opened!: () => void;
    const open = new Promise<void>((r) => (opened = r));
    const following = followEvents(server.url, token, (e) => events.push(e), { signal: abort.signal, onOpen: () => opened() });
    await open;

    /** Applies what arrived until both views show what a fresh status says (or the stream is late). */
    async function caughtUp(step: string): Promise<RolloutSummary[]> {
      // The server settles a rollout just after the request that moved it: the status is read again each round.
      let expected: string[];
      const deadline = Date.now() + 5000;
      for (;;) {
        expected = shown((await status()).rollouts);
        for (const e of events.splice(0)) {
          model.apply(e);
          live.applyEvent(e);
        }
        if ((JSON.stringify(shown(model.report().rollouts)) === JSON.stringify(expected) && JSON.stringify(shown(live.rollouts)) === JSON.stringify(expected)) || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.deepEqual(shown(model.report().rollouts), expected, `OTA view model after ${step}`);
      assert.deepEqual(shown(live.rollouts), expected, `live view state after ${step}`);
      return model.report().rollouts!;
    }

    const provider = new OtaProvider('local', server.url, token);
    const created = await provider.rollouts.create({ name: 'staged', releaseId: release.id, groups: 2, successThreshold: 100, errorThreshold: 0 });
    let rollouts = await caughtUp('create');
    assert.equal(rollouts[0]!.state, 'ready');
    assert.equal(rollouts[0]!.groups.length, 2);

    await provider.rollouts.start(created.id);
    rollouts = await caughtUp('start');
    assert.equal(rollouts[0]!.state, 'running');
    assert.deepEqual(rollouts[0]!.groups.map((g) => g.state), ['running', 'scheduled']);

    // The device lists are only in the rollout's own resource, not in the status or its events.
    const [a, b] = ((await api(server, 'GET', `/api/v1/rollouts/${created.id}`)).json as RolloutSummary).groups[0]!.devices! as [string, string];
    await finish(a, 'success');
    rollouts = await caughtUp('a success');
    assert.equal(rollouts[0]!.groups[0]!.counts.succeeded, 1);

    await finish(b, 'failure');
    rollouts = await caughtUp('a failure over the error threshold');
    assert.equal(rollouts[0]!.state, 'paused');
    assert.equal(rollouts[0]!.groups[0]!.state, 'error');
    assert.ok(live.log.some((l) => /^rollout staged paused/.test(l.text)), JSON.stringify(live.log.map((l) => l.text)));
    // Count ticks move the bars but are not logged.
    assert.ok(!live.log.some((l) => l.type === 'rollout.progress'));

    await provider.rollouts.resume(created.id);
    rollouts = await caughtUp('resume');
    assert.notEqual(rollouts[0]!.state, 'paused');

    abort.abort();
    await following;
  });

  it('keep the snapshot’s newer rollout when the server replays an older event, and drop a deleted one', async () => {
    const model = new StatusModel(await status());
    const live = new LiveState();
    const summary: RolloutSummary = {
      id: '3', name: 'r', releaseId: '1', pid: 'P', fwKey: 'K1', channel: 'main', type: 'forced', successThreshold: 100, errorThreshold: 0, advance: 'auto', state: 'paused',
      createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:09.000Z', counts: { total: 1, pending: 0, running: 0, succeeded: 0, failed: 1 }, groups: [],
    };
    model.reset({ ...(await status()), rollouts: [summary] });
    live.applySnapshot(snapshotOf({ ...(await status()), rollouts: [summary] }));
    const older: ServerEvent = { id: 1, at: 't', type: 'rollout.started', data: { ...summary, state: 'running', updatedAt: '2026-01-01T00:00:05.000Z' } };
    assert.equal(model.apply(older), false);
    live.applyEvent(older);
    assert.equal(model.report().rollouts![0]!.state, 'paused');
    assert.equal(live.rollouts[0]!.state, 'paused');
    const deleted: ServerEvent = { id: 2, at: 't', type: 'rollout.deleted', data: { id: '3' } };
    assert.equal(model.apply(deleted), true);
    live.applyEvent(deleted);
    assert.deepEqual(model.report().rollouts, []);
    assert.deepEqual(live.rollouts, []);
  });
});
