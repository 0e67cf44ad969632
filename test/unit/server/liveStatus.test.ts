import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ddiPaths } from '../../../src/core/protocol/ddi';
import type { StatusReport } from '../../../src/core/protocol/management';
import type { RunningServer } from '../../../src/server/startServer';
import { request } from './helpers/http';
import { api, removeDir, start, tempDir, uploadRelease } from './helpers/server';
import { tapEvents } from './helpers/sse';

const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** What the live view reads: the status report and the event stream, across restarts. */
describe('server status and event stream for the live view', () => {
  let dir: string;
  const running: RunningServer[] = [];

  beforeEach(async () => (dir = await tempDir('ota-live-')));
  afterEach(async () => {
    for (const s of running.splice(0)) await s.close(0);
    await removeDir(dir);
  });

  async function serve(dataDir = dir, settings: Parameters<typeof start>[1] = {}): Promise<RunningServer> {
    const s = await start(dataDir, settings);
    running.push(s);
    return s;
  }
  const status = async (s: RunningServer) => (await api(s, 'GET', '/api/v1/status')).json as StatusReport;
  const configData = (s: RunningServer, device: string, data: Record<string, string>) =>
    request(s.url + ddiPaths.configData('DEFAULT', device), { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ data }) });
  const poll = (s: RunningServer, device: string) => request(s.url + ddiPaths.base('DEFAULT', device));

  it('drops a cleared why-not record from the status (also after a restart) and says so on the stream', async () => {
    let server = await serve();
    const tap = await tapEvents(server);
    await configData(server, 'd1', { fw_key: 'OLD', channel: 'main', pid: 'P' });
    const release = await uploadRelease(server, randomBytes(1000), { pid: 'P', fwKey: 'NEW', channel: 'main', label: '1.0.1' });
    const dep = (await api(server, 'POST', '/api/v1/deployments', { releaseId: release.id })).json as { id: string };
    await poll(server, 'd1');
    const before = (await status(server)).devices.find((d) => d.id === 'd1')!;
    assert.equal(before.whyNot.length, 1);
    assert.match(before.whyNot[0]!.reason, /bind OLD to PID P/);

    assert.equal((await api(server, 'POST', '/api/v1/products/P/keys', { keys: ['OLD'] })).status, 200);
    const offered = JSON.parse((await poll(server, 'd1')).body.toString()) as { _links: { deploymentBase?: unknown } };
    assert.ok(offered._links.deploymentBase, 'offered once the key is bound');
    assert.deepEqual((await status(server)).devices.find((d) => d.id === 'd1')!.whyNot, [], 'no entry with an empty reason');
    const cleared = await tapEvents(server, 0).then(async (t) => {
      const e = await t.until((x) => x.type === 'device.not-offered-cleared', 'device.not-offered-cleared');
      t.close();
      return e;
    });
    assert.deepEqual({ ...(cleared.data as object), at: '' }, { deviceId: 'd1', deploymentId: dep.id, at: '' });
    await tap.until((e) => e.type === 'device.not-offered-cleared', 'the cleared event live');
    tap.close();

    await server.close(0);
    running.length = 0;
    server = await serve();
    assert.deepEqual((await status(server)).devices.find((d) => d.id === 'd1')!.whyNot, [], 'still gone after replaying the journal');
  });

  it('stamps every event with the server time and keeps ids growing across a restart that lost the event log', async () => {
    const first = await serve();
    const tap = await tapEvents(first);
    const t0 = new Date().toISOString();
    await api(first, 'POST', '/api/v1/products/P1/keys', { keys: ['K'] });
    await api(first, 'POST', '/api/v1/products/P2/keys', { keys: ['K'] });
    await tap.until((e) => (e.data as { pid?: string }).pid === 'P2', 'the second keys event');
    const t1 = new Date().toISOString();
    tap.close();
    for (const e of tap.events) {
      assert.match(e.at, iso, `event ${e.id} carries an ISO 8601 time`);
      assert.ok(e.at >= t0 && e.at <= t1, `event ${e.id} at ${e.at} lies between ${t0} and ${t1}`);
    }
    const lastSeenId = tap.events.at(-1)!.id;
    await first.close(0);
    running.length = 0;
    // As after kill -9 before the lazily written log reached the disk.
    await rm(join(dir, 'events.log'), { force: true });

    const second = await serve();
    await api(second, 'POST', '/api/v1/products/P3/keys', { keys: ['K'] });
    const resumed = await tapEvents(second, lastSeenId);
    const after = await resumed.until((e) => (e.data as { pid?: string }).pid === 'P3', 'the new server\'s first event after Last-Event-ID of the old one');
    resumed.close();
    assert.ok(after.id > lastSeenId);
  });

  it('ids of a server on a fresh data directory still come after those of the previous one', async () => {
    const first = await serve(join(dir, 'a'));
    await api(first, 'POST', '/api/v1/products/P1/keys', { keys: ['K'] });
    const tap = await tapEvents(first, 0);
    const old = await tap.until((e) => e.type === 'product.keys', 'the keys event');
    tap.close();
    const second = await serve(join(dir, 'b'));
    await api(second, 'POST', '/api/v1/products/P2/keys', { keys: ['K'] });
    const resumed = await tapEvents(second, old.id);
    await resumed.until((e) => (e.data as { pid?: string }).pid === 'P2', 'the fresh server\'s event');
    resumed.close();
  });

  it('keeps lastSeen per device from every kind of request, lazily persisted, with device.seen at most once per interval', async () => {
    let server = await serve(dir, { seenEventIntervalMs: 3_600_000 });
    const tap = await tapEvents(server);
    await poll(server, 'd1');
    const firstSeen = (await status(server)).devices.find((d) => d.id === 'd1')!;
    assert.match(firstSeen.lastSeen, iso);
    for (let i = 0; i < 5; i++) await poll(server, 'd1');
    await new Promise((r) => setTimeout(r, 5));
    await request(`${server.url}/arduino/update?pid=P&key=K&channel=main`, { headers: { 'x-ESP8266-STA-MAC': 'AA:BB', 'x-ESP8266-version': '1.0.0' } });
    await new Promise((r) => setTimeout(r, 5));
    await poll(server, 'd1');
    const later = await status(server);
    const d1 = later.devices.find((d) => d.id === 'd1')!;
    assert.ok(d1.lastSeen > firstSeen.lastSeen, `lastSeen moved from ${firstSeen.lastSeen} to ${d1.lastSeen}`);
    assert.match(later.devices.find((d) => d.id === 'aa:bb')!.lastSeen, iso);
    await tap.until((e) => e.type === 'device.attributes' && (e.data as { id: string }).id === 'aa:bb', 'the Arduino device');
    const seenD1 = tap.events.filter((e) => e.type === 'device.seen' && (e.data as { id: string }).id === 'd1');
    assert.equal(seenD1.length, 1, 'seven polls inside one interval: only the first contact is announced');
    tap.close();

    // Plain downloads with device= count too.
    const release = await uploadRelease(server, randomBytes(500), { pid: 'P', fwKey: 'K', channel: 'main', label: '2' });
    await request(`${server.url}/fw/${release.id}/fw.bin?device=plain1`);
    assert.match((await status(server)).devices.find((d) => d.id === 'plain1')!.lastSeen, iso);

    assert.equal(await journalRecords(dir, 'seen'), 0, 'no journal record per poll');
    await server.close(0);
    running.length = 0;
    assert.equal(await journalRecords(dir, 'seen'), 1, 'one batched record of contact times, written at close');
    server = await serve(dir, { seenEventIntervalMs: 0 });
    assert.equal((await status(server)).devices.find((d) => d.id === 'd1')!.lastSeen, d1.lastSeen, 'the last contact survives a restart');
    // Live events only (no backlog), as `ota watch` asks for them.
    const tap2 = await tapEvents(server, Number.MAX_SAFE_INTEGER);
    for (let i = 0; i < 3; i++) await poll(server, 'd1');
    await tap2.until(() => tap2.events.filter((x) => x.type === 'device.seen').length >= 3, 'one device.seen per poll with no interval');
    await poll(server, 'd1');
    await tap2.until(() => tap2.events.filter((x) => x.type === 'device.seen').length >= 4, 'the fourth');
    const seen = tap2.events.filter((e) => e.type === 'device.seen');
    assert.equal(seen.length, 4);
    assert.deepEqual(new Set(seen.map((e) => (e.data as { id: string }).id)), new Set(['d1']));
    assert.equal((seen.at(-1)!.data as { lastSeen: string }).lastSeen, (await status(server)).devices.find((d) => d.id === 'd1')!.lastSeen);
    tap2.close();
  });
});

/** Journal lines of a kind, for checking that contact times are batched rather than written per poll. */
async function journalRecords(dataDir: string, kind: string): Promise<number> {
  const text = await readFile(join(dataDir, 'journal.log'), 'utf8');
  return text.split('\n').filter((l) => l.includes(`{"t":"${kind}"`)).length;
}
