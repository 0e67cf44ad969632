import * as assert from 'node:assert/strict';
import { randomBytes, createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HawkbitProvider } from '../../../src/providers/hawkbit/hawkbitProvider';
import type { Backend } from './hawkbitBackend';
import { backends } from './hawkbitBackend';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

for (const { label, open } of backends()) {
  describe(`hawkBit provider contract: ${label}`, function () {
    let backend: Backend;
    let dir: string;
    // Unique per run, so the suite can run again against one real server.
    let run: string;
    const provider = (over: Partial<{ user: string; password: string; smType: string }> = {}) =>
      new HawkbitProvider(
        { name: 'cloud', url: backend.url, username: over.user ?? backend.user, credential: over.password ?? backend.password, credentialRef: '${secret:hawkbit}' },
        { ...(over.smType ? { softwareModuleType: over.smType } : {}), products: [{ pid: `P${run}`, keys: ['K1', 'K0'] }], retry: { rateLimitRetries: 3, maxRetryAfterMs: 2000, uploadRetries: 2 } },
      );
    const image = async (name: string, size = 200_000) => {
      const bytes = randomBytes(size);
      const file = join(dir, name);
      await writeFile(file, bytes);
      return { file, bytes };
    };
    const needsDevices = function (this: Mocha.Context) {
      if (!backend.double) this.skip();
    };
    /** No request was refused by the double's validation (400/404/415) unless the case expects it. */
    const refused = () => (backend.double?.requests ?? []).filter((r) => r.status === 400 || r.status === 415);

    beforeEach(async () => {
      backend = await open();
      dir = await mkdtemp(join(tmpdir(), 'ota-hawkbit-'));
      run = randomBytes(3).toString('hex');
    });
    afterEach(async () => {
      await backend.close();
      await rm(dir, { recursive: true, force: true });
    });

    it('publishes an image (module, artifact with its hashes checked, set with metadata) and deploys it to the devices that match', async function () {
      needsDevices.call(this);
      const d = backend.double!;
      d.addTarget('dev-ok', { pid: `P${run}`, fw_key: 'K1', channel: 'main' });
      d.addTarget('dev-oldkey', { pid: `P${run}`, fw_key: 'K0', channel: 'main' });
      d.addTarget('dev-wrongkey', { pid: `P${run}`, fw_key: 'KX', channel: 'main' });
      d.addTarget('dev-ble', { fw_key: 'K1', channel: 'ble' });
      const { file, bytes } = await image('fw.bin');
      const p = provider();
      const progress: number[] = [];
      const release = await p.publish({ file, pid: `P${run}`, fwKey: 'K1', channel: 'main', label: '1.2.0' }, { onProgress: (r) => progress.push(r.done ?? 0) });
      assert.equal(release.sha256, sha256(bytes));
      assert.equal(progress.at(-1), bytes.length);
      const upload = d.requests.find((r) => r.path.endsWith('/artifacts') && r.method === 'POST')!;
      assert.match(upload.query, new RegExp(`sha256sum=${release.sha256}`), 'our hashes go along so hawkBit checks the bytes');
      const result = await p.deploy({ releaseId: release.id, pid: `P${run}`, fwKey: 'K1', channel: 'main', boundKeys: ['K1', 'K0'], type: 'soft' });
      assert.deepEqual([...result.devices].sort(), ['dev-ok', 'dev-oldkey']);
      assert.deepEqual(refused(), []);
      d.report('dev-ok', 'download', 'Downloading');
      d.report('dev-oldkey', 'finished', 'Installed');
      const status = await p.status();
      assert.equal(status.releases[0]?.channel, 'main', 'the set remembers its channel (metadata)');
      assert.equal(status.releases[0]?.sha256, release.sha256);
      const states = Object.fromEntries(status.sessions.map((s) => [s.deviceId, s.state]));
      assert.deepEqual(states, { 'dev-ok': 'downloading', 'dev-oldkey': 'succeeded' });
      assert.ok(status.sessions.find((s) => s.deviceId === 'dev-oldkey')!.details.some((l) => /finished: Installed/.test(l)), 'the action history comes along');
      const why = Object.fromEntries(status.devices.map((x) => [x.id, x.whyNot.map((w) => w.reason).join(' ')]));
      assert.match(why['dev-wrongkey']!, /reports fw_key KX.*bound: K1, K0/);
      assert.match(why['dev-ble']!, /channel main/);
      assert.equal(why['dev-ok'], '');
    });

    it('deploys to named devices as forced, time-forced with a maintenance window, and download-only', async function () {
      needsDevices.call(this);
      const d = backend.double!;
      for (const id of ['a', 'b', 'c']) d.addTarget(id, { fw_key: 'K1', channel: 'main' });
      const { file } = await image('fw.bin');
      const p = provider();
      const release = await p.publish({ file, pid: `P${run}`, fwKey: 'K1', channel: 'main', label: '2.0.0' });
      await p.deploy({ releaseId: release.id, pid: `P${run}`, fwKey: 'K1', channel: 'main', devices: ['a'], type: 'forced' });
      const forceTime = Date.now() + 3_600_000;
      await p.deploy({ releaseId: release.id, pid: `P${run}`, fwKey: 'K1', channel: 'main', devices: ['b'], type: 'timeforced', forceTime, maintenanceWindow: { schedule: '0 0 3 ? * *', duration: '01:00:00', timezone: '+00:00' } });
      await p.deploy({ releaseId: release.id, pid: `P${run}`, fwKey: 'K1', channel: 'main', devices: ['c'], type: 'downloadonly' });
      assert.deepEqual(refused(), []);
      const bodies = d.requests.filter((r) => r.path.endsWith('/assignedTargets')).map((r) => JSON.parse(r.body) as unknown[]);
      assert.deepEqual(bodies[1], [{ id: 'b', type: 'timeforced', forcetime: forceTime, maintenanceWindow: { schedule: '0 0 3 ? * *', duration: '01:00:00', timezone: '+00:00' } }]);
      const actions = [...d.state.actions.values()].map((a) => [a.target, a.forceType]);
      assert.deepEqual(actions.sort(), [['a', 'forced'], ['b', 'timeforced'], ['c', 'downloadonly']]);
      await assert.rejects(p.deploy({ releaseId: release.id, pid: `P${run}`, fwKey: 'K1', channel: 'main', devices: ['nobody'], type: 'soft' }), /no target named nobody.*silently/);
    });

    it('reuses a module and artifact with the same hashes and says so; refuses other bytes under the same label with both hashes', async () => {
      const { file, bytes } = await image('fw.bin');
      const p = provider();
      const first = await p.publish({ file, pid: `P${run}`, fwKey: 'K1', channel: 'main', label: '1.0.0' });
      const again = await p.publish({ file, pid: `P${run}`, fwKey: 'K1', channel: 'main', label: '1.0.0' });
      assert.equal(again.id, first.id);
      assert.ok(again.notes.some((n) => /already exists: reused/.test(n)), again.notes.join('\n'));
      assert.ok(again.notes.some((n) => new RegExp(`same sha256 ${sha256(bytes)}: reused`).test(n)), again.notes.join('\n'));
      const other = await image('fw.bin');
      await writeFile(other.file, randomBytes(1000));
      await assert.rejects(
        p.publish({ file: other.file, pid: `P${run}`, fwKey: 'K1', channel: 'main', label: '1.0.0' }),
        (err: Error & { hint?: string }) => err.message.includes(sha256(bytes)) && /this file has sha256 [0-9a-f]{64}/.test(err.message) && /new label/.test(err.hint ?? ''),
      );
    });

    it('names an unknown software module type key and lists the server\'s keys', async () => {
      const { file } = await image('fw.bin');
      await assert.rejects(provider({ smType: 'firmware' }).publish({ file, pid: `P${run}`, fwKey: 'K1', channel: 'main', label: '1.0.0' }), (err: Error & { hint?: string }) => /no software module type with key "firmware"; its keys are: .*os.*application/.test(err.message) && /softwareModuleType/.test(err.hint ?? ''));
    });

    it('401 names the server and the credential reference; 403 names the missing permission', async function () {
      const { file } = await image('fw.bin');
      await assert.rejects(provider({ password: 'wrong' }).publish({ file, pid: `P${run}`, fwKey: 'K1', channel: 'main', label: '1.0.0' }), (err: Error & { where?: string; hint?: string }) => /401/.test(err.message) && /"cloud"/.test(err.where ?? '') && /\$\{secret:hawkbit\}/.test(err.hint ?? '') && !/wrong/.test(`${err.message}${err.hint}`));
      if (!backend.double) return;
      await assert.rejects(provider({ user: 'reader', password: 'reader' }).publish({ file, pid: `P${run}`, fwKey: 'K1', channel: 'main', label: '1.0.0' }), (err: Error & { hint?: string }) => /403/.test(err.message) && /grant CREATE_REPOSITORY to reader/.test(err.hint ?? ''));
    });

    it('423: explains the locked module when an assigned release gets another file', async function () {
      needsDevices.call(this);
      backend.double!.addTarget('dev', { fw_key: 'K1', channel: 'main' });
      const p = provider();
      const { file } = await image('fw.bin');
      const release = await p.publish({ file, pid: `P${run}`, fwKey: 'K1', channel: 'main', label: '3.0.0' });
      await p.deploy({ releaseId: release.id, pid: `P${run}`, fwKey: 'K1', channel: 'main', type: 'forced' });
      const second = await image('other-name.bin');
      await assert.rejects(p.publish({ file: second.file, pid: `P${run}`, fwKey: 'K1', channel: 'main', label: '3.0.0' }), (err: Error & { hint?: string }) => /locked \(423\)/.test(err.message) && /new label/.test(err.hint ?? ''));
    });

    it('429 backs off for Retry-After and goes on; a quota says which (403 ≤0.9.0, 429 ≥0.10.0)', async function () {
      needsDevices.call(this);
      const d = backend.double!;
      d.faults.push({ method: 'POST', path: /\/softwaremodules$/, status: 429, retryAfter: '1', times: 2 });
      const { file } = await image('fw.bin');
      const started = Date.now();
      const release = await provider().publish({ file, pid: `P${run}`, fwKey: 'K1', channel: 'main', label: '1.0.0' });
      assert.ok(release.id);
      assert.equal(d.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/softwaremodules')).map((r) => r.status).join(','), '429,429,201');
      assert.ok(Date.now() - started >= 1900, 'waited Retry-After twice');
      d.artifactQuota = 0;
      const next = await image('fw2.bin');
      await assert.rejects(provider().publish({ file: next.file, pid: `P${run}`, fwKey: 'K1', channel: 'main', label: '1.0.1' }), /quota is exhausted/);
    });

    it('a connection reset mid-upload retries the whole upload', async function () {
      needsDevices.call(this);
      const d = backend.double!;
      d.resetUploads = 1;
      const { file, bytes } = await image('fw.bin', 2_000_000);
      const release = await provider().publish({ file, pid: `P${run}`, fwKey: 'K1', channel: 'main', label: '1.0.0' });
      assert.equal(release.sha256, sha256(bytes));
      assert.equal(d.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/artifacts')).length, 2);
      assert.ok(release.notes.some((n) => /connection dropped/.test(n)));
      d.resetUploads = 5;
      const next = await image('fw2.bin', 2_000_000);
      await assert.rejects(provider().publish({ file: next.file, pid: `P${run}`, fwKey: 'K1', channel: 'main', label: '1.0.1' }), (err: NodeJS.ErrnoException) => err.code === 'ECONNRESET' || /socket hang up|EPIPE/.test(err.message));
    });

    it('rollout: groups over matching targets, waits for ready, next group at the success threshold, pause / resume, error threshold pauses', async function () {
      needsDevices.call(this);
      const d = backend.double!;
      for (const id of ['r1', 'r2', 'r3', 'r4']) d.addTarget(id, { fw_key: 'K0', channel: 'main' });
      d.addTarget('other', { fw_key: 'K1', channel: 'ble' });
      const p = provider();
      const { file } = await image('fw.bin');
      const release = await p.publish({ file, pid: `P${run}`, fwKey: 'K1', channel: 'main', label: '4.0.0' });
      const created = await p.rollouts.create({ name: `r-${run}`, releaseId: release.id, pid: `P${run}`, fwKey: 'K1', channel: 'main', boundKeys: ['K1', 'K0'], groups: 2, successThreshold: 50, errorThreshold: 50 });
      assert.equal(created.totalTargets, 4);
      const started = await p.rollouts.start(created.id);
      assert.equal(started.state, 'running');
      assert.deepEqual(started.groups.map((g) => g.status), ['running', 'scheduled']);
      const postStart = d.requests.findIndex((r) => r.path.endsWith('/start'));
      assert.ok(d.requests.slice(0, postStart).some((r) => r.path.endsWith(`/rollouts/${created.id}`) && r.method === 'GET'), 'read the status before starting');
      const paused = await p.rollouts.pause(created.id);
      assert.equal(paused.state, 'paused');
      await assert.rejects(p.rollouts.pause(created.id), /rollout\.illegalState/);
      assert.equal((await p.rollouts.resume(created.id)).state, 'running');
      d.report('r1', 'finished', 'ok');
      const after = await p.rollouts.status(created.id);
      assert.deepEqual(after.groups.map((g) => g.status), ['running', 'running'], 'group 2 starts once half of group 1 succeeded');
      d.report('r3', 'error', 'flash failed');
      d.report('r4', 'error', 'flash failed');
      assert.equal((await p.rollouts.status(created.id)).state, 'paused', 'the error threshold paused it');
      assert.deepEqual(refused().filter((r) => !r.path.endsWith('/pause')), []);
      assert.equal((await p.rollouts.list()).length, 1);
      // approve is triggerNextGroup (refused here: no group is left), cancel is stop.
      await assert.rejects(p.rollouts.approve(created.id), /rollout\.illegalState/);
      assert.ok(d.requests.some((r) => r.method === 'POST' && r.path.endsWith(`/rollouts/${created.id}/triggerNextGroup`)));
      assert.equal((await p.rollouts.cancel(created.id)).state, 'stopped');
      await assert.rejects(p.rollouts.create({ name: `g-${run}`, releaseId: release.id, fwKey: 'K1', channel: 'main', groups: 2, advance: 'approve' }), /group sizes, named devices and approved advance are rollouts of an OTA Workbench server/);
    });

    it('detects the API generation and reads actions of either shape', async function () {
      needsDevices.call(this);
      const d = backend.double!;
      d.addTarget('g', { fw_key: 'K1', channel: 'main' });
      const p = provider();
      assert.equal(await p.generation(), d.generation);
      const { file } = await image('fw.bin');
      const release = await p.publish({ file, pid: `P${run}`, fwKey: 'K1', channel: 'main', label: '5.0.0' });
      await p.deploy({ releaseId: release.id, pid: `P${run}`, fwKey: 'K1', channel: 'main', type: 'forced' });
      d.report('g', 'error', 'signature check failed');
      const session = (await p.status()).sessions[0]!;
      assert.equal(session.state, 'failed');
      assert.equal(session.failureReason, 'signature check failed');
      const actionJson = d.requests.find((r) => /\/actions\/\d+$/.test(r.path));
      assert.ok(actionJson);
    });
  });
}

describe('hawkBit provider: transport', () => {
  it('refuses to send credentials over plain HTTP to another host', () => {
    assert.throws(() => new HawkbitProvider({ name: 'cloud', url: 'http://hawkbit.example.com:8080', username: 'admin', credential: 'x', credentialRef: '${env:HB}' }), /the credentials of cloud would be sent over http to hawkbit\.example\.com:8080/);
  });
});
