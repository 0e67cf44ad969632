import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ddiPaths } from '../../../src/core/protocol/ddi';
import type { Device, ServerEvent, UpdateSession } from '../../../src/core/protocol/management';
import { silentLogger } from '../../../src/core/logger';
import type { JournalRecord } from '../../../src/server/state/records';
import { Journal } from '../../../src/server/storage/journal';
import { deviceLimits } from '../../../src/server/deviceInput';
import { maxBacklogChars } from '../../../src/server/events';
import type { RunningServer } from '../../../src/server/startServer';
import { request } from './helpers/http';
import { tapEvents } from './helpers/sse';
import { api, removeDir, start, tempDir, uploadRelease } from './helpers/server';

const json = { 'content-type': 'application/json' };

/**
 * Devices and browsers that try to hurt the server, on a real server over 127.0.0.1: every case
 * must end in a bounded, named refusal, with the state intact.
 */
describe('hostile devices: bounded records', () => {
  let dir: string;
  let server: RunningServer;

  beforeEach(async () => {
    dir = await tempDir();
    server = await start(dir);
  });
  afterEach(async () => {
    await server.close(0);
    await removeDir(dir);
  });

  const putConfig = (device: string, body: unknown) => request(server.url + ddiPaths.configData('DEFAULT', device), { method: 'PUT', headers: json, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const errorOf = (r: { body: Buffer }) => (JSON.parse(r.body.toString()) as { error: string }).error;

  it('refuses big, many, nested and non-string attributes with the limit named; nothing is stored', async () => {
    const huge = await putConfig('dev1', { data: { fw_key: 'K', blob: 'a'.repeat(500_000) } });
    assert.equal(huge.status, 413);
    assert.match(errorOf(huge), new RegExp(String(deviceLimits.bodyBytes)));
    const long = await putConfig('dev1', { data: { fw_key: 'K', blob: 'a'.repeat(deviceLimits.valueChars + 1) } });
    assert.equal(long.status, 413);
    assert.match(errorOf(long), new RegExp(`at most ${deviceLimits.valueChars}`));
    const many = await putConfig('dev1', { data: Object.fromEntries(Array.from({ length: deviceLimits.attributes + 1 }, (_, i) => [`a${i}`, 'v'])) });
    assert.equal(many.status, 413);
    assert.match(errorOf(many), new RegExp(`at most ${deviceLimits.attributes}`));
    // Nesting past what the stack takes used to be a 500 (RangeError).
    const nested = await putConfig('dev1', `{"data":{"x":${'['.repeat(20_000)}${']'.repeat(20_000)}}}`);
    assert.equal(nested.status, 400);
    assert.match(errorOf(nested), /must be a string/);
    const escapes = await putConfig('dev1', { data: { fw_key: 'K\u001b]52;c;aGk=\u0007' } });
    assert.equal(escapes.status, 400);
    assert.match(errorOf(escapes), /control characters/);
    const status = (await api(server, 'GET', '/api/v1/devices')).json as Device[];
    assert.deepEqual(status, [], 'no refused report created the device');
  });

  it('journals a changed attribute, not a copy of the device: 95 reports of a full device stay small', async () => {
    const full = Object.fromEntries(Array.from({ length: 90 }, (_, i) => [`attr${i}`, 'v'.repeat(deviceLimits.valueChars)]));
    assert.equal((await putConfig('dev1', { data: full })).status, 200);
    const journal = join(dir, 'journal.log');
    const after = (await stat(journal)).size;
    for (let i = 0; i < 95; i++) assert.equal((await putConfig('dev1', { data: { ...full, counter: String(i) } })).status, 200);
    const grown = (await stat(journal)).size - after;
    assert.ok(grown < 95 * 200, `95 one-attribute changes grew the journal by ${grown} bytes`);
    await server.close(0);
    server = await start(dir);
    const device = (await api(server, 'GET', '/api/v1/devices/dev1')).json as Device;
    assert.equal(device.attributes.counter, '94');
    assert.equal(device.attributes.attr89, 'v'.repeat(deviceLimits.valueChars));
  });

  it('starts on a journal of superseded copies read in pieces, and compacts it to the live state', async () => {
    await server.close(0);
    const path = join(dir, 'journal.log');
    const journal = await Journal.open<JournalRecord>(path, () => undefined, silentLogger);
    // What the old server wrote: a whole copy of the device on each report (40 MB in all).
    const attributes = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`a${i}`, 'v'.repeat(500)]));
    for (let i = 0; i < 4000; i++) await journal.append({ t: 'device', device: { id: 'dev1', protocol: 'ddi', attributes: { ...attributes, n: String(i) }, firstSeen: '2026-01-01T00:00:00.000Z', lastSeen: '2026-01-01T00:00:00.000Z' } }, false);
    await journal.close();
    assert.ok((await stat(path)).size > 40_000_000);
    server = await start(dir);
    assert.ok((await stat(path)).size < 100_000, 'compacted at start-up');
    assert.equal(((await api(server, 'GET', '/api/v1/devices/dev1')).json as Device).attributes.n, '3999');
  });

  it('answers hostile feedback with 400/413 and keeps details bounded', async () => {
    const image = randomBytes(4096);
    const release = await uploadRelease(server, image, { pid: 'P', fwKey: 'K', channel: 'main', label: '1.0.1' });
    await api(server, 'POST', '/api/v1/deployments', { releaseId: release.id });
    assert.equal((await putConfig('dev1', { data: { fw_key: 'K', channel: 'main', pid: 'P' } })).status, 200);
    const poll = JSON.parse((await request(server.url + ddiPaths.base('DEFAULT', 'dev1'))).body.toString()) as { _links: { deploymentBase?: { href: string } } };
    const action = /deploymentBase\/(\d+)/.exec(poll._links.deploymentBase!.href)![1]!;
    const feedback = (body: unknown) => request(server.url + ddiPaths.feedback('DEFAULT', 'dev1', action), { method: 'POST', headers: json, body: JSON.stringify(body) });
    const big = await feedback({ status: { execution: 'proceeding', result: { finished: 'none' }, details: ['d'.repeat(900_000)] } });
    assert.equal(big.status, 413);
    const tricky = await feedback({ status: { execution: 'proceeding', result: { finished: 'none' }, details: [{ toString: 1 }] } });
    assert.equal(tricky.status, 400, 'a device-made toString is a 400, not a 500');
    const many = await feedback({ status: { execution: 'proceeding', result: { finished: 'none' }, details: Array.from({ length: deviceLimits.details + 1 }, () => 'x') } });
    assert.equal(many.status, 413);
    const long = await feedback({ status: { execution: 'proceeding', result: { finished: 'none' }, details: ['e'.repeat(60_000), 'clear\u001b[2Jscreen'] } });
    assert.equal(long.status, 200);
    const session = (await api(server, 'GET', `/api/v1/sessions/${action}`)).json as UpdateSession;
    assert.ok(session.details.every((d) => d.length <= deviceLimits.detailChars + 1));
    assert.ok(session.details.includes('clear [2Jscreen'), 'control characters are blanked');
  });

  it('keeps the event backlog bounded in bytes, and new subscribers get at most that', async () => {
    // Devices with big (but allowed) attributes, each an event in the history.
    const full = Object.fromEntries(Array.from({ length: 90 }, (_, i) => [`attr${i}`, 'v'.repeat(deviceLimits.valueChars)]));
    for (let d = 0; d < 150; d++) assert.equal((await putConfig(`dev${d}`, { data: { ...full, n: String(d) } })).status, 200);
    const backlog = server.service.ctx.events.since(0);
    const chars = backlog.reduce((n, e) => n + JSON.stringify(e.data).length, 0);
    assert.ok(chars <= maxBacklogChars, `backlog holds ${chars} characters`);
    const last = backlog.at(-1) as ServerEvent;
    assert.match(JSON.stringify(last.data), /characters\)/, 'a big event has its long strings cut');
    // A subscriber asking for everything gets the bounded backlog, and nothing older.
    const tap = await tapEvents(server, 0);
    await tap.until((e) => e.id === last.id, 'the last event of the backlog');
    const received = tap.events.reduce((n, e) => n + JSON.stringify(e.data).length, 0);
    tap.close();
    assert.ok(received <= maxBacklogChars, `a new subscriber was sent ${received} characters of events`);
    assert.equal(tap.events[0]!.id, backlog[0]!.id);
  });
});
