import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { ddiPaths } from '../../../src/core/protocol/ddi';
import type { DdiDeploymentBase } from '../../../src/core/protocol/ddi';
import type { UpdateSession } from '../../../src/core/protocol/management';
import { silentLogger } from '../../../src/core/logger';
import { buildSyntheticEspImage } from '../../../src/device/simulator/syntheticImage';
import { parseFault } from '../../../src/device/simulator/faults';
import { deviceLimits } from '../../../src/server/deviceInput';
import { Model } from '../../../src/server/state/model';
import { sessionChange } from '../../../src/server/state/sessionChange';
import type { JournalRecord } from '../../../src/server/state/records';
import { Journal } from '../../../src/server/storage/journal';
import { SimHarness } from '../device/helpers/simHarness';
import { request } from './helpers/http';
import { stat } from 'node:fs/promises';
import { api, removeDir, sha256, start, tempDir } from './helpers/server';

const json = { 'content-type': 'application/json' };

/** Every record in a journal file, with the bytes of its line. */
async function readJournal(file: string): Promise<{ record: JournalRecord; bytes: number }[]> {
  const records: JournalRecord[] = [];
  const journal = await Journal.open<JournalRecord>(file, (r) => records.push(r), silentLogger);
  await journal.close();
  // The line: 8 hex digits of CRC, a tab, the JSON, a newline.
  return records.map((record) => ({ record, bytes: 10 + Buffer.byteLength(JSON.stringify(record)) }));
}

const sessionsOf = async (server: Parameters<typeof api>[0]) => ((await api(server, 'GET', '/api/v1/sessions')).json as UpdateSession[]).sort((a, b) => Number(a.id) - Number(b.id));

/**
 * Sessions are journaled as what changed (`session.change`), the first record of a session whole:
 * replay gives the same sessions, a progress record stays small however big the session is, and
 * journals of older servers (a whole session per change) still replay.
 */
describe('session records: changes, not copies', function () {
  this.timeout(90_000);

  it('replays a full update with a resume into the same sessions after a restart', async () => {
    const h = await SimHarness.start(10_000);
    try {
      const v100 = buildSyntheticEspImage({ version: '1.0.0', size: 48 * 1024 });
      const v101 = buildSyntheticEspImage({ version: '1.0.1', size: 48 * 1024 });
      // A 1.5 s drop half way: the device resumes with a Range request.
      h.device({ id: 'r1', factoryImage: v100, chunkBytes: 4096, faults: [parseFault('drop:1.5s@50%')] });
      await h.online('r1');
      const release = await h.release(v101, '1.0.1');
      await h.deploy(release, ['r1']);
      const done = await h.ended('r1', 40_000);
      assert.equal(done.state, 'succeeded', done.failureReason);
      assert.ok((done.resumes ?? 0) >= 1, `the device resumed (resumes ${done.resumes})`);
      const before = await sessionsOf(h.server);

      const file = path.join(h.dir, 'server', 'journal.log');
      await h.restart();
      const after = await sessionsOf(h.server);
      assert.deepEqual(after, before);

      const records = (await readJournal(file)).map((r) => r.record);
      const whole = records.filter((r) => r.t === 'session');
      const changes = records.filter((r) => r.t === 'session.change');
      assert.equal(whole.length, 1, 'one whole record, when the session opened');
      assert.ok(changes.length >= 4, `${changes.length} change records (downloading, progress, downloaded, installing, succeeded…)`);
      // What never changes in a session is written once, in its first record.
      for (const c of changes) for (const fixed of ['deviceId', 'releaseId', 'deploymentId', 'size', 'startedAt', 'versionBefore']) assert.ok(!(fixed in (c.set ?? {})), `${fixed} repeated in ${JSON.stringify(c)}`);
      assert.ok(changes.some((c) => c.set?.state === 'succeeded'));
    } finally {
      await h.close();
    }
  });

  it('journals a progress update in under 400 bytes, however big the session is', async () => {
    const dir = await tempDir();
    let server = await start(dir);
    try {
      const image = randomBytes(64 * 1024);
      const upload = (await api(server, 'POST', '/api/v1/uploads', { filename: 'fw.bin', pid: 'P', fwKey: 'K', channel: 'main', label: '1.0.1', size: image.length, sha256: sha256(image) })).json as { id: string };
      await api(server, 'PUT', `/api/v1/uploads/${upload.id}`, image, { 'upload-offset': '0', 'content-type': 'application/octet-stream' });
      const release = (await api(server, 'POST', `/api/v1/uploads/${upload.id}/complete`)).json as { id: string };
      await api(server, 'POST', '/api/v1/deployments', { releaseId: release.id });
      const put = await request(server.url + ddiPaths.configData('DEFAULT', 'dev1'), { method: 'PUT', headers: json, body: JSON.stringify({ data: { fw_key: 'K', channel: 'main', pid: 'P' } }) });
      assert.equal(put.status, 200);
      const poll = JSON.parse((await request(server.url + ddiPaths.base('DEFAULT', 'dev1'))).body.toString()) as { _links: { deploymentBase?: { href: string } } };
      const action = /deploymentBase\/(\d+)/.exec(poll._links.deploymentBase!.href)![1]!;
      // A session as big as a device can make it: 20 details of the longest kind kept.
      const details = Array.from({ length: 20 }, (_, i) => `${i} ${'d'.repeat(deviceLimits.detailChars - 4)}`);
      const feedback = await request(server.url + ddiPaths.feedback('DEFAULT', 'dev1', action), { method: 'POST', headers: json, body: JSON.stringify({ status: { execution: 'proceeding', result: { finished: 'none' }, details } }) });
      assert.equal(feedback.status, 200, feedback.body.toString());
      const base = JSON.parse((await request(server.url + ddiPaths.deploymentBase('DEFAULT', 'dev1', action))).body.toString()) as DdiDeploymentBase;
      const href = base.deployment.chunks[0]!.artifacts[0]!._links['download-http']!.href;

      // Three ranges, more than the 2 s apart that progress is journaled at most.
      for (const [i, range] of ['bytes=0-16383', 'bytes=16384-32767', 'bytes=32768-49151'].entries()) {
        if (i > 0) await new Promise((r) => setTimeout(r, 2200));
        const part = await request(href, { headers: { range } });
        assert.equal(part.status, 206);
      }
      const before = await sessionsOf(server);
      await server.close(0);

      const records = await readJournal(path.join(dir, 'journal.log'));
      const whole = records.filter((r) => r.record.t === 'session');
      const changes = records.filter((r) => r.record.t === 'session.change');
      const progress = changes.filter((r) => r.record.t === 'session.change' && r.record.set?.bytesServed !== undefined && r.record.set.details === undefined);
      assert.ok(progress.length >= 3, `${progress.length} progress records`);
      const session = before.find((s) => s.id === action)!;
      const wholeBytes = Buffer.byteLength(JSON.stringify({ t: 'session', session }));
      assert.ok(wholeBytes > 20_000, `the session weighs ${wholeBytes} bytes`);
      for (const p of progress) assert.ok(p.bytes < 400, `a progress record of ${p.bytes} bytes: ${JSON.stringify(p.record)}`);
      // The feedback's details were journaled once, in the record of that feedback.
      assert.equal(changes.filter((r) => r.record.t === 'session.change' && r.record.set?.details !== undefined).length, 1);
      assert.equal(whole.length, 1);

      server = await start(dir);
      // An open session gets a fresh offline window at start (lastActivity): everything else is as journaled.
      const fresh = ({ lastActivity: _l, ...s }: UpdateSession) => s;
      assert.deepEqual((await sessionsOf(server)).map(fresh), before.map(fresh));
    } finally {
      await server.close(0);
      await removeDir(dir);
    }
  });

  it('replays a journal of whole session records (what older servers wrote), and goes on with changes after it', async () => {
    const dir = await tempDir();
    let server = await start(dir);
    try {
      const image = randomBytes(10_000);
      const upload = (await api(server, 'POST', '/api/v1/uploads', { filename: 'fw.bin', pid: 'P', fwKey: 'K', channel: 'main', label: '1.0.1', size: image.length, sha256: sha256(image) })).json as { id: string };
      await api(server, 'PUT', `/api/v1/uploads/${upload.id}`, image, { 'upload-offset': '0', 'content-type': 'application/octet-stream' });
      const release = (await api(server, 'POST', `/api/v1/uploads/${upload.id}/complete`)).json as { id: string };
      const deployment = (await api(server, 'POST', '/api/v1/deployments', { releaseId: release.id, devices: ['old1', 'old2'] })).json as { id: string };
      await server.close(0);

      // The old record shape: every change of a session journaled as a whole copy of it.
      const file = path.join(dir, 'journal.log');
      const journal = await Journal.open<JournalRecord>(file, () => undefined, silentLogger);
      const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
      for (const id of ['old1', 'old2']) await journal.append({ t: 'device', device: { id, protocol: 'ddi', attributes: { fw_key: 'K', channel: 'main', pid: 'P', version: '1.0.0' }, firstSeen: t(0), lastSeen: t(0), attributesReported: true } });
      const base: UpdateSession = { id: String(Number(deployment.id) + 1), deploymentId: deployment.id, releaseId: release.id, deviceId: 'old1', state: 'offered', size: image.length, bytesServed: 0, progress: 0, startedAt: t(1), lastActivity: t(1), slow: false, details: [], versionBefore: '1.0.0' };
      const copies: UpdateSession[] = [base];
      copies.push({ ...copies.at(-1)!, state: 'downloading', bytesServed: 4096, bytesSent: 4096, progress: 0.4096, lastActivity: t(2) });
      copies.push({ ...copies.at(-1)!, details: ['transfer cut after 4096 bytes; the device may resume with a Range request'], lastActivity: t(3) });
      copies.push({ ...copies.at(-1)!, bytesServed: 8192, bytesSent: 8192, progress: 0.8192, resumes: 1, offlineMs: 1500, throughputBps: 9000, lastActivity: t(5) });
      const ended: UpdateSession = { id: String(Number(deployment.id) + 2), deploymentId: deployment.id, releaseId: release.id, deviceId: 'old2', state: 'failed', size: image.length, bytesServed: 2048, progress: 0.2048, startedAt: t(1), lastActivity: t(4), endedAt: t(70), failureReason: 'device old2 silent for 60 s', slow: false, details: ['a'] };
      for (const session of [...copies, { ...ended, state: 'downloading' as const, endedAt: undefined, failureReason: undefined }, ended]) {
        // As JSON wrote it: fields set to undefined are not in the line.
        await journal.append({ t: 'session', session: JSON.parse(JSON.stringify(session)) as UpdateSession });
      }
      await journal.close();

      server = await start(dir);
      const replayed = await sessionsOf(server);
      // An open session gets a fresh offline window at start; the rest is the last copy, to the field.
      const withoutActivity = ({ lastActivity: _l, ...s }: UpdateSession) => s;
      assert.deepEqual(replayed.map(withoutActivity), [copies.at(-1)!, ended].map((s) => withoutActivity(JSON.parse(JSON.stringify(s)) as UpdateSession)));
      assert.equal(replayed[1]!.lastActivity, ended.lastActivity, 'an ended session is as journaled, to the field');

      // New records go on as changes over the old whole ones.
      assert.equal((await api(server, 'POST', `/api/v1/deployments/${deployment.id}/cancel`)).status, 200);
      const cancelled = await sessionsOf(server);
      assert.equal(cancelled[0]!.state, 'cancelled');
      await server.close(0);
      const tail = (await readJournal(file)).map((r) => r.record).filter((r) => r.t === 'session' || r.t === 'session.change');
      assert.equal(tail.at(-1)!.t, 'session.change');
      server = await start(dir);
      assert.deepEqual(await sessionsOf(server), cancelled);
    } finally {
      await server.close(0);
      await removeDir(dir);
    }
  });

  it('is kept by compaction: a snapshot of the journaled sessions plus the changes after it replays the same', async () => {
    const dir = await tempDir();
    try {
      const file = path.join(dir, 'j.log');
      const model = new Model();
      const journal = await Journal.open<JournalRecord>(file, (r) => model.apply(r), silentLogger);
      const write = (r: JournalRecord | undefined) => {
        if (!r) return Promise.resolve();
        model.apply(r);
        return journal.append(r, false);
      };
      const details = Array.from({ length: 20 }, (_, i) => `${i} ${'d'.repeat(1000)}`);
      const first: UpdateSession = { id: '7', deploymentId: '2', releaseId: '1', deviceId: 'c1', state: 'downloading', size: 1_000_000, bytesServed: 0, progress: 0, startedAt: 'T0', lastActivity: 'T0', slow: false, details, versionBefore: '1.0.0' };
      await write(model.sessionRecord(first));
      const live = model.sessions.get('7')!;
      /** What the server journals: the live session less the bytes of a transfer still in flight. */
      const journaledView = (): UpdateSession => {
        const { bytesSent: _inFlight, ...rest } = live;
        return rest;
      };
      const step = (n: number) => write(model.sessionRecord({ ...journaledView(), bytesServed: n * 100, progress: (n * 100) / 1_000_000, lastActivity: `T${n}` }));
      const racing: Promise<void>[] = [];
      for (let n = 1; n <= 3000; n++) racing.push(step(n));
      // Counted in memory but not journaled yet (bytes of a transfer in flight): the journal must not claim it.
      live.bytesSent = 123_456;
      const compaction = journal.compact(() => model.snapshot());
      for (let n = 3001; n <= 3100; n++) racing.push(step(n));
      racing.push(write(model.sessionRecord({ ...journaledView(), state: 'failed', endedAt: 'T9999', failureReason: 'gone', versionBefore: undefined })));
      await Promise.all([...racing, compaction]);
      await journal.close();
      // Snapshot + tail: the session whole once (its details with it), then only its changes.
      const kinds = (await readJournal(file)).map((r) => r.record.t);
      assert.deepEqual(kinds.slice(0, 2), ['ids', 'session']);
      assert.ok(kinds.slice(2).every((t) => t === 'session.change'), 'the tail holds changes only');

      const again = new Model();
      const reopened = await Journal.open<JournalRecord>(file, (r) => again.apply(r), silentLogger);
      await reopened.close();
      assert.equal(live.bytesSent, 123_456);
      assert.deepEqual(again.sessions.get('7'), journaledView());
      assert.equal(again.sessions.get('7')!.versionBefore, undefined, 'a field gone is gone after replay');
      assert.equal(again.sessions.get('7')!.bytesServed, 310_000);
    } finally {
      await removeDir(dir);
    }
  });

  it('compacts a long tail of session changes at start-up into one whole record', async () => {
    const dir = await tempDir();
    let server = await start(dir);
    try {
      await server.close(0);
      const file = path.join(dir, 'journal.log');
      const model = new Model();
      const journal = await Journal.open<JournalRecord>(file, (r) => model.apply(r), silentLogger);
      const first: UpdateSession = { id: '5', deploymentId: '2', releaseId: '1', deviceId: 'c2', state: 'downloading', size: 1_000_000, bytesServed: 0, progress: 0, startedAt: 'T0', lastActivity: 'T0', slow: false, details: ['x'] };
      const records: JournalRecord[] = [model.sessionRecord(first)!];
      model.apply(records[0]!);
      for (let n = 1; n <= 20_000; n++) {
        const r = model.sessionRecord({ ...model.sessions.get('5')!, bytesServed: n * 10, progress: n / 100_000, ...(n === 20_000 ? { state: 'failed' as const, endedAt: 'T1', failureReason: 'offline' } : {}) })!;
        model.apply(r);
        records.push(r);
      }
      await Promise.all(records.map((r) => journal.append(r, false)));
      await journal.close();
      const before = (await stat(file)).size;
      server = await start(dir);
      const after = (await stat(file)).size;
      assert.ok(before > 1024 * 1024 && after < 2000, `journal went from ${before} to ${after} bytes`);
      assert.deepEqual(await sessionsOf(server), [model.sessions.get('5')]);
      assert.deepEqual((await readJournal(file)).map((r) => r.record.t), ['ids', 'session']);
    } finally {
      await server.close(0);
      await removeDir(dir);
    }
  });
});

describe('sessionChange', () => {
  const s: UpdateSession = { id: '1', deploymentId: '2', releaseId: '3', deviceId: 'd', state: 'offered', size: 10, bytesServed: 0, progress: 0, startedAt: 'A', lastActivity: 'A', slow: false, details: ['a'], version: { label: '1', verdict: 'unreported', summary: 'not reported yet' } };

  it('holds only the fields that differ, compared by value, and the fields gone', () => {
    assert.equal(sessionChange(s, { ...s, details: ['a'], version: { ...s.version! } }), undefined, 'equal lists and objects are no change');
    assert.deepEqual(sessionChange(s, { ...s, bytesServed: 4, details: ['a', 'b'] }), { t: 'session.change', id: '1', set: { bytesServed: 4, details: ['a', 'b'] } });
    const { version: _v, ...withoutVersion } = s;
    assert.deepEqual(sessionChange(s, { ...withoutVersion, failureReason: undefined }), { t: 'session.change', id: '1', unset: ['version'] });
  });
});
