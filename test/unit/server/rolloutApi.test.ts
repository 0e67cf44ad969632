import * as assert from 'node:assert/strict';
import type { RolloutSummary } from '../../../src/core/protocol/management';
import { splitIntoGroups } from '../../../src/server/rolloutInput';
import { Model } from '../../../src/server/state/model';
import type { RunningServer } from '../../../src/server/startServer';
import { request } from './helpers/http';
import { api, removeDir, start, tempDir, uploadRelease } from './helpers/server';

describe('rollout management API: input, limits, replay', () => {
  let dir: string;
  let server: RunningServer;
  let releaseId: string;

  beforeEach(async () => {
    dir = await tempDir();
    server = await start(dir, { maxRollouts: 2, maxRolloutGroups: 4 });
    releaseId = (await uploadRelease(server, Buffer.alloc(1024, 7), { pid: 'P1', fwKey: 'K1', channel: 'main', label: '1.0.1' })).id;
  });
  afterEach(async () => {
    await server.close(0);
    await removeDir(dir);
  });

  const create = (body: unknown) => api(server, 'POST', '/api/v1/rollouts', body);

  it('answers 400 naming the field and what would be right', async () => {
    const cases: [unknown, RegExp][] = [
      [[], /^a rollout must be a JSON object$/],
      [{ releaseId, groups: 2 }, /^"name" must be a non-empty string$/],
      [{ name: 'a\u0007b', releaseId, groups: 2, devices: ['d1'] }, /"name" must be at most 128 printable characters/],
      [{ name: 'r', groups: 2 }, /^"releaseId" must be the id of a release$/],
      [{ name: 'r', releaseId, devices: ['d1'] }, /^"groups" is missing or empty$/],
      [{ name: 'r', releaseId, groups: 0, devices: ['d1'] }, /^"groups" must be a whole number from 1 to 4, not 0$/],
      [{ name: 'r', releaseId, groups: 5, devices: ['d1'] }, /^"groups" must be a whole number from 1 to 4, not 5$/],
      [{ name: 'r', releaseId, groups: [{ count: 1 }, { count: 1 }, { count: 1 }, { count: 1 }, { count: 1 }], devices: ['d1'] }, /^"groups" lists 5 groups; at most 4 are allowed$/],
      [{ name: 'r', releaseId, groups: [{ count: 0 }], devices: ['d1'] }, /^group 1 of "groups": "count" must be a whole number of devices, at least 1$/],
      [{ name: 'r', releaseId, groups: [{ percent: 60 }, { percent: 50 }], devices: ['d1'] }, /^the group percentages add up to 110; they must add up to at most 100$/],
      [{ name: 'r', releaseId, groups: [{ size: 3 }], devices: ['d1'] }, /^group 1 of "groups" must be \{"count": N\} or \{"percent": P\}/],
      [{ name: 'r', releaseId, groups: 2, successThreshold: 120, devices: ['d1'] }, /^"successThreshold" must be a number from 0 to 100 \(a percentage\), not 120$/],
      [{ name: 'r', releaseId, groups: 2, successThreshold: 0, devices: ['d1'] }, /^"successThreshold" must be above 0$/],
      [{ name: 'r', releaseId, groups: 2, errorThreshold: '10', devices: ['d1'] }, /^"errorThreshold" must be a number from 0 to 100/],
      [{ name: 'r', releaseId, groups: 2, errorThreshold: 100, devices: ['d1'] }, /^"errorThreshold" must be below 100$/],
      [{ name: 'r', releaseId, groups: 2, advance: 'manual', devices: ['d1'] }, /^"advance" must be "auto"/],
      [{ name: 'r', releaseId, groups: 2, type: 'downloadonly', devices: ['d1'] }, /^"type" must be "soft" or "forced"$/],
      [{ name: 'r', releaseId, groups: 2, devices: [] }, /^"devices" must be a non-empty list of device ids/],
      [{ name: 'r', releaseId, groups: 2, devices: ['d1', 'd1'] }, /^device d1 is named twice in "devices"$/],
      [{ name: 'r', releaseId, groups: 2, devices: ['<script>'] }, /^device id "<script>" has characters outside/],
      [{ name: 'r', releaseId, groups: 2, devices: ['d1'], speed: 'fast' }, /^unknown field "speed" in the rollout$/],
      // Nobody has reported PID P1, key K1 and channel main yet.
      [{ name: 'r', releaseId, groups: 2 }, /^no device this server knows reports PID P1, channel main and a firmware key bound to the PID \(K1\)$/],
    ];
    for (const [body, error] of cases) {
      const reply = await create(body);
      assert.equal(reply.status, 400, `${JSON.stringify(body)}: ${reply.body.toString()}`);
      assert.match((reply.json as { error: string }).error, error, JSON.stringify(body));
    }
    const broken = await api(server, 'POST', '/api/v1/rollouts', '{"name": ');
    assert.equal(broken.status, 400);
    assert.match((broken.json as { error: string }).error, /not valid JSON/);
    assert.equal((await create({ name: 'r', releaseId: '999', groups: 1, devices: ['d1'] })).status, 404);
    assert.equal((await api(server, 'GET', '/api/v1/rollouts/999')).status, 404);
    assert.equal((await request(`${server.url}/api/v1/rollouts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status, 401);
    // Nothing of a refused request was kept.
    assert.deepEqual((await api(server, 'GET', '/api/v1/rollouts')).json, []);
  });

  it('is bounded: rollouts kept and names are limited; a release in use cannot be deleted', async () => {
    const first = await create({ name: 'one', releaseId, groups: 1, devices: ['d1'] });
    assert.equal(first.status, 201, first.body.toString());
    assert.equal(first.headers.location, `/api/v1/rollouts/${(first.json as RolloutSummary).id}`);
    const clash = await create({ name: 'one', releaseId, groups: 1, devices: ['d1'] });
    assert.equal(clash.status, 409);
    assert.match((clash.json as { error: string }).error, /already a rollout named "one"/);
    assert.equal((await create({ name: 'two', releaseId, groups: 1, devices: ['d1'] })).status, 201);
    const full = await create({ name: 'three', releaseId, groups: 1, devices: ['d1'] });
    assert.equal(full.status, 409);
    assert.deepEqual(full.json, { error: 'this server already keeps 2 rollouts, its limit (maxRollouts 2)', hint: 'delete finished or cancelled rollouts (DELETE /api/v1/rollouts/{id}, or cancel one first)' });
    const del = await api(server, 'DELETE', `/api/v1/releases/${releaseId}`);
    assert.equal(del.status, 409);
    assert.match((del.json as { error: string }).error, /used by rollout\(s\) \d+, \d+ that may still start groups/);
    const id = (first.json as RolloutSummary).id;
    assert.equal((await api(server, 'DELETE', `/api/v1/rollouts/${id}`)).status, 409, 'a ready rollout is not deleted');
    assert.equal((await api(server, 'POST', `/api/v1/rollouts/${id}/cancel`)).status, 200);
    assert.equal((await api(server, 'DELETE', `/api/v1/rollouts/${id}`)).status, 204);
    assert.equal((await create({ name: 'three', releaseId, groups: 1, devices: ['d1'] })).status, 201);
  });

  it('replays from the journal and from a compacted snapshot to the same rollouts', async () => {
    const created = (await create({ name: 'keep', releaseId, groups: [{ count: 1 }, { percent: 50 }], devices: ['d1', 'd2', 'd3'], advance: 'approve', errorThreshold: 20 })).json as RolloutSummary;
    await api(server, 'POST', `/api/v1/rollouts/${created.id}/start`);
    const paused = (await api(server, 'POST', `/api/v1/rollouts/${created.id}/pause`)).json as RolloutSummary;
    assert.equal(paused.state, 'paused');
    const model = server.service.ctx.model;
    const replayed = new Model();
    for (const r of model.snapshot()) replayed.apply(JSON.parse(JSON.stringify(r)) as never);
    assert.deepEqual(replayed.rollouts, model.rollouts);
    assert.deepEqual(replayed.deployments, model.deployments);
    await server.close(0);
    server = await start(dir, { maxRollouts: 2, maxRolloutGroups: 4 });
    const after = (await api(server, 'GET', `/api/v1/rollouts/${created.id}`)).json as RolloutSummary;
    assert.deepEqual(after, paused);
    assert.deepEqual(after.groups.map((g) => [g.state, g.devices, g.deploymentIds.length]), [
      ['running', ['d1'], 1],
      ['scheduled', ['d2', 'd3'], 0],
    ]);
    assert.equal(((await api(server, 'GET', '/api/v1/status')).json as { rollouts: RolloutSummary[] }).rollouts[0]!.state, 'paused');
  });

  it('splits devices into equal groups, or by counts and percentages with the rest in the last group', () => {
    const ten = Array.from({ length: 10 }, (_, i) => `d${i}`);
    assert.deepEqual(splitIntoGroups(ten, 3).map((g) => g.length), [3, 4, 3]);
    assert.deepEqual(splitIntoGroups(ten, [{ count: 1 }, { percent: 25 }, { percent: 10 }]).map((g) => g.length), [1, 3, 6]);
    assert.deepEqual(splitIntoGroups(['a', 'b'], 3), [['a'], [], ['b']]);
    assert.deepEqual(splitIntoGroups(['a', 'b'], [{ count: 5 }, { count: 1 }]), [['a', 'b'], []]);
    assert.deepEqual(splitIntoGroups(ten, 1), [ten]);
  });
});
