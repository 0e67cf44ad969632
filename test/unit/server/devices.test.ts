import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import * as net from 'node:net';
import { ddiPaths } from '../../../src/core/protocol/ddi';
import { arduinoUpdateUrl, latestFirmwareUrl, plainFirmwareUrl } from '../../../src/core/protocol/devicePaths';
import type { Device, UpdateSession } from '../../../src/core/protocol/management';
import type { RunningServer } from '../../../src/server/startServer';
import { request } from './helpers/http';
import { api, md5, removeDir, start, tempDir, uploadRelease } from './helpers/server';
import { eventually } from '../../helpers/eventually';

const espHeaders = (version?: string) => ({
  'user-agent': 'ESP8266-http-Update',
  'x-esp8266-sta-mac': 'AA:BB:CC:DD:EE:01',
  'x-esp8266-ap-mac': 'AA:BB:CC:DD:EE:02',
  'x-esp8266-free-space': '1000000',
  'x-esp8266-sketch-size': '300000',
  'x-esp8266-sketch-md5': '00000000000000000000000000000000',
  'x-esp8266-chip-size': '4194304',
  'x-esp8266-sdk-version': '2.2.2',
  'x-esp8266-mode': 'sketch',
  ...(version ? { 'x-esp8266-version': version } : {}),
});

describe('device routes: Arduino HTTPUpdate, plain URL, update sessions', () => {
  let dir: string;
  let server: RunningServer;
  // An ESP image starts with 0xE9; Arduino cores check that byte.
  const image = Buffer.concat([Buffer.from([0xe9]), randomBytes(65_535)]);

  beforeEach(async () => {
    dir = await tempDir();
    server = await start(dir, { offlineTimeoutMs: 1200 });
  });
  afterEach(async () => {
    await server.close(0);
    await removeDir(dir);
  });

  it('Arduino: 304 without an update, 200 with Content-Length and x-MD5 (never chunked), 304 once running it', async () => {
    const url = arduinoUpdateUrl(server.url, 'P', 'K1', 'main');
    assert.equal((await request(url, { headers: espHeaders('1.0.0') })).status, 304);
    const release = await uploadRelease(server, image, { pid: 'P', fwKey: 'K1', channel: 'main', label: '1.0.1' });
    await api(server, 'POST', '/api/v1/deployments', { releaseId: release.id });
    const got = await request(url, { headers: espHeaders('1.0.0') });
    assert.equal(got.status, 200);
    assert.equal(got.headers['x-md5'], md5(image));
    assert.equal(got.headers['content-length'], String(image.length));
    assert.equal(got.headers['transfer-encoding'], undefined);
    assert.ok(got.body.equals(image));
    assert.equal((await request(url, { headers: espHeaders('1.0.1') })).status, 304);
    const sessions = (await api(server, 'GET', '/api/v1/sessions')).json as UpdateSession[];
    assert.equal(sessions[0]!.state, 'succeeded');
    assert.equal((await request(url)).status, 403, 'a browser gets no firmware');
    // The ESP32 core sends x-ESP32-* headers; check-only mode answers with x-version.
    const esp32 = await request(url, { headers: { 'user-agent': 'ESP32-http-Update', 'x-esp32-sta-mac': 'AA:BB:CC:DD:EE:09', 'x-esp32-mode': 'version', 'x-esp32-version': '1.0.0' } });
    assert.equal(esp32.status, 200);
    assert.equal(esp32.headers['x-version'], '1.0.1');
    assert.equal(esp32.body.length, 0);
  });

  it('Arduino over HTTP/1.0 (ESP8266httpUpdate uses it): Content-Length, the whole image, then the connection closes', async () => {
    const release = await uploadRelease(server, image, { pid: 'P', fwKey: 'K1', channel: 'main', label: '1.0.1' });
    await api(server, 'POST', '/api/v1/deployments', { releaseId: release.id });
    const raw = await new Promise<Buffer>((resolve, reject) => {
      const socket = net.connect(server.port, '127.0.0.1', () => {
        const headers = Object.entries(espHeaders('1.0.0')).map(([k, v]) => `${k}: ${v}\r\n`).join('');
        socket.write(`GET /arduino/update?pid=P&key=K1&channel=main HTTP/1.0\r\nHost: 127.0.0.1\r\n${headers}\r\n`);
      });
      const chunks: Buffer[] = [];
      socket.on('data', (c: Buffer) => chunks.push(c));
      socket.on('end', () => resolve(Buffer.concat(chunks)));
      socket.on('error', reject);
    });
    const split = raw.indexOf('\r\n\r\n');
    const head = raw.subarray(0, split).toString('latin1');
    assert.match(head, /^HTTP\/1\.[01] 200 /);
    assert.match(head, new RegExp(`\r\ncontent-length: ${image.length}\r\n`, 'i'));
    assert.doesNotMatch(head, /transfer-encoding/i);
    assert.match(head, new RegExp(`\r\nx-md5: ${md5(image)}`, 'i'));
    assert.ok(raw.subarray(split + 4).equals(image));
  });

  it('plain URL: HEAD without a body, bytes=N- answers 206, a last end equal to the length is clamped', async () => {
    const release = await uploadRelease(server, image, { pid: 'P', fwKey: 'K1', channel: 'main', label: '1.0.1' });
    const url = `${server.url}/fw/${release.id}/fw.bin`;
    const head = await request(url, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers['content-length'], String(image.length));
    assert.equal(head.headers['accept-ranges'], 'bytes');
    assert.equal(head.body.length, 0);
    const resume = await request(url, { headers: { range: 'bytes=40000-' } });
    assert.equal(resume.status, 206);
    assert.ok(resume.body.equals(image.subarray(40000)));
    const last = await request(url, { headers: { range: `bytes=65000-${image.length}` } });
    assert.equal(last.status, 206);
    assert.equal(last.headers['content-range'], `bytes 65000-${image.length - 1}/${image.length}`);
    const past = await request(url, { headers: { range: `bytes=${image.length}-` } });
    assert.equal(past.status, 416);
    assert.equal(past.headers['content-range'], `bytes */${image.length}`);
    const stale = await request(url, { headers: { range: 'bytes=0-9', 'if-range': '"not-the-etag"' } });
    assert.equal(stale.status, 200, 'If-Range with another ETag sends the whole file');
    const fresh = await request(url, { headers: { range: 'bytes=0-9', 'if-range': `"${release.sha256}"` } });
    assert.equal(fresh.status, 206);
  });

  it('plain URL /fw/latest: 304 with nothing to offer, else 302 to the offered release, which then downloads as a session', async () => {
    const latest = latestFirmwareUrl(server.url, { device: 'p1', key: 'K1', channel: 'main', version: '1.0.0' });
    assert.equal((await request(latest)).status, 304);
    const release = await uploadRelease(server, image, { pid: 'P', fwKey: 'K1', channel: 'main', label: '1.0.1' });
    await api(server, 'POST', '/api/v1/deployments', { releaseId: release.id });
    const moved = await request(latest);
    assert.equal(moved.status, 302);
    const location = String(moved.headers.location);
    assert.ok(location.startsWith(`/fw/${release.id}/fw.bin?`), location);
    const got = await request(server.url + location);
    assert.ok(got.body.equals(image));
    const sessions = (await api(server, 'GET', '/api/v1/sessions')).json as UpdateSession[];
    assert.equal(sessions[0]!.state, 'downloaded');
    assert.equal((await request(latestFirmwareUrl(server.url, { device: 'p1', key: 'K1', channel: 'main', version: '1.0.1' }))).status, 304, 'running the offered label');
    assert.equal((await request(`${server.url}/fw/latest`)).status, 400);
  });

  it('fails a session whose device stays silent past the offline timeout, with the reason', async () => {
    await request(server.url + ddiPaths.configData('DEFAULT', 'd1'), { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ data: { fw_key: 'K1', channel: 'main' } }) });
    const release = await uploadRelease(server, image, { pid: 'P', fwKey: 'K1', channel: 'main', label: '1.0.1' });
    await api(server, 'POST', '/api/v1/deployments', { releaseId: release.id });
    await request(server.url + ddiPaths.base('DEFAULT', 'd1'));
    const part = await request(server.url + ddiPaths.artifact('DEFAULT', 'd1', release.id, 'fw.bin'), { headers: { range: 'bytes=0-9999' } });
    assert.equal(part.status, 206);
    const failed = await eventually(async () => {
      const s = ((await api(server, 'GET', '/api/v1/sessions')).json as UpdateSession[])[0]!;
      return s.state === 'failed' ? s : undefined;
    }, 10_000, 'the session to fail');
    assert.match(failed.failureReason!, /device d1 was silent for \d+ s, longer than the offline timeout of 1.2 s, after 10000 of 65536 bytes/);
    const devices = (await api(server, 'GET', '/api/v1/devices')).json as Device[];
    assert.equal(devices[0]!.id, 'd1');
    await request(server.url + ddiPaths.base('DEFAULT', 'd1'));
    const after = (await api(server, 'GET', '/api/v1/devices')).json as Device[];
    assert.match(after[0]!.whyNot[0]!.reason, /failed \(device d1 was silent/);
  });

  it('continues a session when the device comes back within the timeout, and records a cut transfer', async () => {
    // Large enough that the socket buffers cannot swallow it before the client hangs up.
    const image = randomBytes(16 * 1024 * 1024);
    const release = await uploadRelease(server, image, { pid: 'P', fwKey: 'K1', channel: 'main', label: '1.0.1' });
    await api(server, 'POST', '/api/v1/deployments', { releaseId: release.id });
    const url = plainFirmwareUrl(server.url, release.id, 'fw.bin', { device: 'e1', key: 'K1', channel: 'main' });
    // Read a little, then drop the connection mid-body.
    await new Promise<void>((resolve) => {
      const req = http.get(url, (res) => {
        res.once('data', () => req.destroy());
        res.on('error', () => undefined);
      });
      req.on('error', () => undefined);
      req.on('close', () => resolve());
    });
    const cut = await eventually(async () => {
      const s = ((await api(server, 'GET', '/api/v1/sessions')).json as UpdateSession[])[0];
      return s?.details.some((d) => d.startsWith('transfer cut')) ? s : undefined;
    }, 10_000, 'a "transfer cut" detail');
    assert.equal(cut.state, 'downloading');
    const have = cut.bytesServed;
    assert.ok(have > 0 && have < image.length, `served ${have}`);
    const rest = await request(url, { headers: { range: `bytes=${have}-` } });
    assert.equal(rest.status, 206);
    const done = ((await api(server, 'GET', '/api/v1/sessions')).json as UpdateSession[])[0]!;
    assert.equal(done.id, cut.id, 'the same session continues');
    assert.equal(done.state, 'downloaded');
    assert.equal(done.bytesServed, image.length);
  });
});

describe('minimum bandwidth', () => {
  /** Two Range requests 2.1 s apart against a server with the given minimum; returns the session. */
  async function pacedSession(minBandwidthBps: number): Promise<UpdateSession> {
    const dir = await tempDir();
    const server = await start(dir, { minBandwidthBps });
    try {
      const release = await uploadRelease(server, randomBytes(65_536), { pid: 'P', fwKey: 'K1', channel: 'main', label: '1.0.1' });
      await api(server, 'POST', '/api/v1/deployments', { releaseId: release.id });
      const url = plainFirmwareUrl(server.url, release.id, 'fw.bin', { device: 's1', key: 'K1', channel: 'main' });
      assert.equal((await request(url, { headers: { range: 'bytes=0-4095' } })).status, 206);
      await new Promise((r) => setTimeout(r, 2100));
      assert.equal((await request(url, { headers: { range: 'bytes=4096-8191' } })).status, 206);
      return ((await api(server, 'GET', '/api/v1/sessions')).json as UpdateSession[])[0]!;
    } finally {
      await server.close(0);
      await removeDir(dir);
    }
  }

  it('flags a session whose average rate over its Range requests is under the minimum, and only then', async () => {
    // 10 Mbit/s: no transfer paced like this meets it. 1 bit/s: every one does.
    const [slow, fine] = await Promise.all([pacedSession(10_000_000), pacedSession(1)]);
    assert.equal(slow.slow, true);
    assert.ok(slow.throughputBps! < 10_000_000);
    assert.match(slow.details.join('\n'), /under the minimum bandwidth of 10000000 bit\/s/);
    assert.equal(fine.slow, false);
    assert.ok(fine.throughputBps! > 1);
  });
});

describe('client aborts', () => {
  it('closes the file of every download the client abandons (streamed images)', async function () {
    const fdDir = '/proc/self/fd';
    const { readdir } = await import('node:fs/promises');
    const fds = async () => (await readdir(fdDir)).length;
    try {
      await fds();
    } catch {
      this.skip();
    }
    const dir = await tempDir();
    const server = await start(dir);
    try {
      // Over the in-memory cache's per-file limit, so each download streams from its own file descriptor.
      const release = await uploadRelease(server, randomBytes(24 * 1024 * 1024), { pid: 'P', fwKey: 'K', channel: 'main', label: '1' });
      const url = `${server.url}/fw/${release.id}/fw.bin`;
      const before = await fds();
      await Promise.all(
        Array.from(
          { length: 20 },
          () =>
            new Promise<void>((resolve) => {
              const req = http.get(url, (res) => res.once('data', () => req.destroy()));
              req.on('error', () => undefined);
              req.on('close', () => resolve());
            }),
        ),
      );
      await eventually(async () => ((await fds()) <= before ? true : undefined), 10_000, 'file descriptors to be closed');
    } finally {
      await server.close(0);
      await removeDir(dir);
    }
  });
});
