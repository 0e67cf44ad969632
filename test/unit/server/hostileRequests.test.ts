import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { ddiPaths } from '../../../src/core/protocol/ddi';
import type { Logger } from '../../../src/core/logger';
import type { Device, UpdateSession } from '../../../src/core/protocol/management';
import type { ServerSettings } from '../../../src/server/context';
import type { RunningServer } from '../../../src/server/startServer';
import { startServer } from '../../../src/server/startServer';
import { request } from './helpers/http';
import { eventually } from '../../helpers/eventually';
import { api, removeDir, tempDir, token, uploadRelease } from './helpers/server';

const json = { 'content-type': 'application/json' };

/** A logger that keeps what it is told, by level. */
function recordingLogger(): Logger & { lines: { level: string; text: string }[] } {
  const lines: { level: string; text: string }[] = [];
  const at = (level: string) => (m: string | Error) => lines.push({ level, text: String(m) });
  return { lines, trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** Browsers, pages and sockets that misbehave, against a real server on 127.0.0.1. */
describe('hostile requests: origin, host, tenant, quotas, stalls', () => {
  let dir: string;
  let server: RunningServer;
  let log: ReturnType<typeof recordingLogger>;

  const serve = async (settings: Partial<ServerSettings> = {}, extra: { publicHosts?: string[] } = {}) => {
    log = recordingLogger();
    server = await startServer({ dataDir: dir, port: 0, token, settings, log, ...extra });
  };
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    await server.close(0);
    await removeDir(dir);
  });

  async function offeredAction(device: string): Promise<string> {
    const release = await uploadRelease(server, Buffer.alloc(2048, 7), { pid: 'P', fwKey: 'K', channel: 'main', label: '1.0.1' });
    await api(server, 'POST', '/api/v1/deployments', { releaseId: release.id, devices: [device] });
    await request(server.url + ddiPaths.configData('DEFAULT', device), { method: 'PUT', headers: json, body: JSON.stringify({ data: { fw_key: 'K', channel: 'main', pid: 'P' } }) });
    const poll = JSON.parse((await request(server.url + ddiPaths.base('DEFAULT', device))).body.toString()) as { _links: { deploymentBase: { href: string } } };
    return /deploymentBase\/(\d+)/.exec(poll._links.deploymentBase.href)![1]!;
  }

  it('refuses a foreign Host (DNS rebinding) with 421 and never echoes it; own names and --public-host pass', async () => {
    await serve({}, { publicHosts: ['ota.lab.example'] });
    const port = server.port;
    const rebound = await request(`${server.url}${ddiPaths.base('DEFAULT', 'dev1')}`, { headers: { host: `rebind.attacker.example:${port}` } });
    assert.equal(rebound.status, 421);
    assert.doesNotMatch(rebound.body.toString(), /deploymentBase|controller/);
    const mgmt = await request(`${server.url}/api/v1/status`, { headers: { host: 'rebind.attacker.example', authorization: `Bearer ${token}` } });
    assert.equal(mgmt.status, 421, 'the management API too');
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `ota.lab.example:${port}`, 'OTA.LAB.EXAMPLE']) {
      assert.equal((await request(`${server.url}${ddiPaths.base('DEFAULT', 'dev1')}`, { headers: { host } })).status, 200, host);
    }
  });

  it('refuses requests from other pages (Origin, Sec-Fetch-Site) on device and management routes', async () => {
    await serve();
    const action = await offeredAction('dev1');
    const feedback = { status: { execution: 'closed', result: { finished: 'failure' } } };
    // What a no-cors fetch from http://localhost:OTHER sends: text/plain and an Origin.
    const crossPost = await request(server.url + ddiPaths.feedback('DEFAULT', 'dev1', action), { method: 'POST', headers: { 'content-type': 'text/plain', origin: 'http://localhost:9999' }, body: JSON.stringify(feedback) });
    assert.equal(crossPost.status, 403);
    // Same body, JSON type but still another origin.
    assert.equal((await request(server.url + ddiPaths.feedback('DEFAULT', 'dev1', action), { method: 'POST', headers: { ...json, origin: 'http://localhost:9999' }, body: JSON.stringify(feedback) })).status, 403);
    // An <img> GET carries no Origin, but the browser marks it.
    const img = await request(`${server.url}${ddiPaths.base('DEFAULT', 'victim')}`, { headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'image' } });
    assert.equal(img.status, 403);
    assert.equal((await request(`${server.url}/api/v1/status`, { headers: { authorization: `Bearer ${token}`, origin: 'http://evil.example' } })).status, 403);
    // Without a JSON type the body is not read as JSON.
    assert.equal((await request(server.url + ddiPaths.feedback('DEFAULT', 'dev1', action), { method: 'POST', body: JSON.stringify(feedback) })).status, 415);
    // Another tenant's path does not reach this tenant's device.
    const otherTenant = await request(server.url + ddiPaths.feedback('OTHER-TENANT', 'dev1', action), { method: 'POST', headers: json, body: JSON.stringify(feedback) });
    assert.equal(otherTenant.status, 404);
    const session = (await api(server, 'GET', `/api/v1/sessions/${action}`)).json as UpdateSession;
    assert.equal(session.state, 'offered', 'none of those touched the session');
    const devices = ((await api(server, 'GET', '/api/v1/devices')).json as Device[]).map((d) => d.id);
    assert.deepEqual(devices, ['dev1']);
    // The same page origin as the server itself is not foreign; the tenant is case-insensitive.
    assert.equal((await request(server.url + ddiPaths.base('default', 'dev1'), { headers: { origin: server.url } })).status, 200);
  });

  it('refuses device ids with markup, escape codes or excess length', async () => {
    await serve();
    for (const id of ['<img src=x onerror=alert(1)>', 'dev\u001b[2J', 'a'.repeat(129), '-leading-dash']) {
      const r = await request(server.url + ddiPaths.base('DEFAULT', id));
      assert.equal(r.status, 400, id);
    }
    const arduino = await request(`${server.url}/arduino/update?key=K`, { headers: { 'x-esp8266-sta-mac': '<b>AA</b>', 'x-esp8266-version': '1' } });
    assert.equal(arduino.status, 400);
    assert.deepEqual((await api(server, 'GET', '/api/v1/devices')).json, []);
  });

  it('limits new devices per minute and in total with 429 and Retry-After; known devices still get through', async () => {
    await serve({ newDevicesPerMinute: 50, maxDevices: 80 });
    const codes: number[] = [];
    for (let i = 0; i < 60; i++) codes.push((await request(server.url + ddiPaths.base('DEFAULT', `made-up-${i}`))).status);
    assert.equal(codes.filter((c) => c === 200).length, 50);
    const refused = await request(server.url + ddiPaths.base('DEFAULT', 'made-up-x'));
    assert.equal(refused.status, 429);
    assert.equal(refused.headers['retry-after'], '60');
    assert.match(refused.body.toString(), /newDevicesPerMinute 50/);
    assert.equal((await request(server.url + ddiPaths.base('DEFAULT', 'made-up-1'))).status, 200, 'a known device is never refused');
    assert.equal(((await api(server, 'GET', '/api/v1/devices')).json as Device[]).length, 50);
  });

  it('cuts connections that stall in headers or body after the idle timeout, and logs client aborts in one quiet line', async () => {
    await serve({ idleTimeoutMs: 800 });
    const sockets = Array.from({ length: 20 }, (_, i) => {
      const s = net.connect(server.port, '127.0.0.1');
      // Half the headers, or all headers and half a declared body; then nothing.
      s.write(i % 2 === 0 ? 'GET /DEFAULT/controller/v1/dev1 HTTP/1.1\r\nHost: 127.0.0.1\r\n' : `PUT ${ddiPaths.configData('DEFAULT', `dev${i}`)} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"data":`);
      s.on('error', () => undefined);
      return new Promise<void>((resolve) => s.on('close', () => resolve()));
    });
    // Every one is closed by the server (the test times out otherwise).
    await Promise.all(sockets);
    // The server notes the cut body after the client saw its socket close: wait for the line.
    const line = await eventually(() => log.lines.find((l) => /went away/.test(l.text)), 10_000, 'the line about a stalled body');
    assert.equal(line.level, 'debug');
    assert.ok(!line.text.includes('\n'), 'one line, no stack');
    assert.deepEqual(log.lines.filter((l) => l.level === 'error'), [], 'stalls and aborts are not errors');
    assert.equal((await request(server.url + ddiPaths.base('DEFAULT', 'dev1'))).status, 200, 'the server still answers');
  });

  it('quotes and encodes Content-Disposition, refuses header-breaking release names, and caps range amplification', async () => {
    await serve();
    const image = Buffer.concat([Buffer.from([0xe9]), Buffer.alloc(16 * 1024 - 1, 3)]);
    const release = await uploadRelease(server, image, { pid: 'P', fwKey: 'K', channel: 'main', label: '1.0.1', filename: 'fw-固件";x=1.bin' });
    await api(server, 'POST', '/api/v1/deployments', { releaseId: release.id });
    const esp = { 'x-esp8266-sta-mac': 'AA:BB:CC:DD:EE:01', 'x-esp8266-version': '1.0.0' };
    const got = await request(`${server.url}/arduino/update?pid=P&key=K&channel=main`, { headers: esp });
    assert.equal(got.status, 200);
    assert.equal(got.headers['content-disposition'], `attachment; filename="fw-___;x=1.bin"; filename*=UTF-8''fw-%E5%9B%BA%E4%BB%B6%22%3Bx%3D1.bin`);
    // A label or name with CR/LF would make every poll a 500 (ERR_INVALID_CHAR): refused on upload.
    for (const bad of [{ label: '1.0.2\r\nx-evil: 1' }, { label: '版本' }, { filename: 'fw\r\n.bin' }]) {
      const begin = await api(server, 'POST', '/api/v1/uploads', { filename: 'fw.bin', pid: 'P', fwKey: 'K', channel: 'main', label: '1.0.2', size: 10, ...bad });
      assert.equal(begin.status, 400, JSON.stringify(bad));
    }
    // Four overlapping whole-file ranges: the file once, not four times.
    const four = await request(`${server.url}/fw/${release.id}/${encodeURIComponent(release.filename)}`, { headers: { range: 'bytes=0-,0-,0-,0-' } });
    assert.equal(four.status, 206);
    assert.equal(four.headers['content-range'], `bytes 0-${image.length - 1}/${image.length}`);
    assert.ok(four.body.equals(image));
    // More ranges than the cap: the whole file with 200.
    const many = await request(`${server.url}/fw/${release.id}/${encodeURIComponent(release.filename)}`, { headers: { range: `bytes=${Array.from({ length: 17 }, (_, i) => `${i * 10}-${i * 10 + 1}`).join(',')}` } });
    assert.equal(many.status, 200);
    assert.equal(many.body.length, image.length);
  });
});
