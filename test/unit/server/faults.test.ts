import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import * as http from 'node:http';
import { join } from 'node:path';
import { ddiPaths } from '../../../src/core/protocol/ddi';
import type { Deployment, Release, StatusReport, UploadState } from '../../../src/core/protocol/management';
import { exited } from './helpers/child';
import { cliMain } from '../../helpers/runCli';
import { request } from './helpers/http';
import { removeDir, sha256, tempDir, token } from './helpers/server';
import { eventually } from '../../helpers/eventually';

interface Child {
  child: ChildProcess;
  url: string;
}

/** `ota serve` in a child (optionally under a shell `ulimit -f`), so it can be killed for real. */
function serve(data: string, fileSizeLimitKiB?: number): Promise<Child> {
  const tokenFile = join(data, '..', 'token');
  const args = [cliMain, 'serve', '--port', '0', '--data', data, '--token-file', tokenFile];
  const child =
    fileSizeLimitKiB === undefined
      ? spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn('/bin/sh', ['-c', `ulimit -f ${fileSizeLimitKiB} && exec "$0" "$@"`, process.execPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    child.on('exit', (code, signal) => reject(new Error(`server exited (${code ?? signal}): ${out}`)));
  });
}

async function kill9(c: Child): Promise<void> {
  c.child.kill('SIGKILL');
  await exited(c.child);
}

async function call(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const r = await request(base + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined && !Buffer.isBuffer(body) ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: Buffer.isBuffer(body) ? body : JSON.stringify(body) } : {}),
  });
  const text = r.body.toString();
  return { status: r.status, json: (text ? JSON.parse(text) : undefined) as unknown };
}

async function release(base: string, data: Buffer, label: string): Promise<Release> {
  const begin = (await call(base, 'POST', '/api/v1/uploads', { pid: 'P', fwKey: 'K', channel: 'main', label, filename: 'fw.bin', size: data.length, sha256: sha256(data) })).json as UploadState;
  await call(base, 'PUT', `/api/v1/uploads/${begin.id}`, data, { 'upload-offset': '0', 'content-type': 'application/octet-stream' });
  return (await call(base, 'POST', `/api/v1/uploads/${begin.id}/complete`)).json as Release;
}

/** Sends `head` of a PUT body and leaves the request hanging (the caller kills the server). */
function startPartialPut(url: string, total: number, head: Buffer, offset: number): Promise<void> {
  return new Promise((resolve) => {
    const req = http.request(url, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream', 'content-length': String(total), 'upload-offset': String(offset) },
    });
    req.on('error', () => undefined);
    req.on('response', (res) => res.resume());
    req.write(head, () => resolve());
  });
}

describe('faults: full disk, kill -9 during upload and download', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir('ota-faults-');
    await writeFile(join(dir, 'token'), token);
  });
  afterEach(() => removeDir(dir));

  it('a disk write failure mid-upload (file size limit, EFBIG) gives a clear error and no partial release', async () => {
    const server = await serve(join(dir, 'data'), 1024);
    try {
      const data = randomBytes(3 * 1024 * 1024);
      const begin = (await call(server.url, 'POST', '/api/v1/uploads', { pid: 'P', fwKey: 'K', channel: 'main', label: '1', filename: 'fw.bin', size: data.length })).json as UploadState;
      const put = await call(server.url, 'PUT', `/api/v1/uploads/${begin.id}`, data, { 'upload-offset': '0', 'content-type': 'application/octet-stream' });
      assert.equal(put.status, 507);
      const err = put.json as { error: string; hint: string };
      assert.match(err.error, /no space left to store upload [0-9a-f]+ \(EFBIG\)/);
      assert.match(err.hint, /free disk space/);
      assert.equal(((await call(server.url, 'GET', `/api/v1/uploads/${begin.id}`)).json as UploadState).offset, 0, 'the failed chunk was cut back');
      assert.equal((await call(server.url, 'POST', `/api/v1/uploads/${begin.id}/complete`)).status, 409);
      assert.deepEqual((await call(server.url, 'GET', '/api/v1/releases')).json, []);
      // The server is still healthy for what fits.
      const small = await release(server.url, randomBytes(100_000), '2');
      assert.equal(small.size, 100_000);
    } finally {
      await kill9(server);
    }
  });

  it('kill -9 during an upload and while acknowledging deployments: everything acknowledged survives, the upload resumes', async () => {
    const data = join(dir, 'data');
    let server = await serve(data);
    const image = randomBytes(4 * 1024 * 1024);
    const base = await release(server.url, randomBytes(50_000), '1.0.0');
    const begin = (await call(server.url, 'POST', '/api/v1/uploads', { pid: 'P', fwKey: 'K', channel: 'main', label: '1.0.1', filename: 'fw.bin', size: image.length, sha256: sha256(image) })).json as UploadState;
    await startPartialPut(`${server.url}/api/v1/uploads/${begin.id}`, image.length, image.subarray(0, 1_500_000), 0);

    // Deployments acknowledged one after another while the server is killed.
    const acknowledged: string[] = [];
    let stop = false;
    const hammer = (async () => {
      while (!stop) {
        try {
          const r = await call(server.url, 'POST', '/api/v1/deployments', { releaseId: base.id, devices: [`dev${acknowledged.length}`] });
          if (r.status === 201) acknowledged.push((r.json as Deployment).id);
        } catch {
          return; // the server is gone
        }
      }
    })();
    // Killed once a few are acknowledged (waiting for that, not a fixed time a loaded machine may need more than).
    await eventually(() => (acknowledged.length >= 3 ? true : undefined), 20_000, 'three acknowledged deployments');
    await kill9(server);
    stop = true;
    await hammer;

    server = await serve(data);
    try {
      const status = (await call(server.url, 'GET', '/api/v1/status')).json as StatusReport;
      assert.deepEqual(status.releases.map((r) => r.id), [base.id]);
      const restored = new Set(status.deployments.map((d) => d.id));
      for (const id of acknowledged) assert.ok(restored.has(id), `acknowledged deployment ${id} is lost`);
      const state = (await call(server.url, 'GET', `/api/v1/uploads/${begin.id}`)).json as UploadState;
      assert.ok(state.offset > 0 && state.offset <= 1_500_000, `resumes at ${state.offset}`);
      const put = await call(server.url, 'PUT', `/api/v1/uploads/${begin.id}`, image.subarray(state.offset), { 'upload-offset': String(state.offset), 'content-type': 'application/octet-stream' });
      assert.equal(put.status, 200);
      const done = await call(server.url, 'POST', `/api/v1/uploads/${begin.id}/complete`);
      assert.equal(done.status, 201);
      assert.equal((done.json as Release).sha256, sha256(image));
    } finally {
      await kill9(server);
    }
  });

  it('kill -9 during a device download: after restart the session is there and the device resumes by Range', async () => {
    const data = join(dir, 'data');
    let server = await serve(data);
    const image = randomBytes(16 * 1024 * 1024);
    const rel = await release(server.url, image, '1.0.1');
    const dep = (await call(server.url, 'POST', '/api/v1/deployments', { releaseId: rel.id })).json as Deployment;
    await request(server.url + ddiPaths.configData('DEFAULT', 'd1'), { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ data: { fw_key: 'K', channel: 'main' } }) });
    assert.ok((await request(server.url + ddiPaths.base('DEFAULT', 'd1'))).body.toString().includes('deploymentBase'));

    // The device reads a part of the image, then the server dies under it.
    const received: Buffer[] = [];
    const artifactPath = ddiPaths.artifact('DEFAULT', 'd1', rel.id, 'fw.bin');
    await new Promise<void>((resolve) => {
      const req = http.get(server.url + artifactPath, (res) => {
        let got = 0;
        res.on('data', (c: Buffer) => {
          received.push(c);
          got += c.length;
          if (got >= 2_000_000) {
            res.pause();
            // Let the lazy progress record reach the journal, as it would during a long download.
            setTimeout(() => void kill9(server).then(() => resolve()), 1500);
          }
        });
        res.on('error', () => undefined);
      });
      req.on('error', () => undefined);
    });
    const have = Buffer.concat(received);

    server = await serve(data);
    try {
      const status = (await call(server.url, 'GET', '/api/v1/status')).json as StatusReport;
      assert.deepEqual(status.deployments.map((d) => d.id), [dep.id]);
      const session = status.sessions.find((s) => s.deviceId === 'd1')!;
      assert.equal(session.state, 'downloading');
      assert.ok(session.bytesServed > 0, 'progress reached the journal');
      const rest = await request(server.url + artifactPath, { headers: { range: `bytes=${have.length}-` } });
      assert.equal(rest.status, 206);
      const whole = Buffer.concat([have, rest.body]);
      assert.equal(createHash('sha256').update(whole).digest('hex'), rel.sha256);
      // The server marks the session when its response has finished, which can be just after the
      // client has the last byte: wait for that, then check it is the same session.
      const after = await eventually(async () => {
        const found = ((await call(server.url, 'GET', '/api/v1/sessions')).json as StatusReport['sessions']).find((s) => s.id === session.id);
        return found?.state === 'downloading' ? undefined : found;
      }, 10_000, 'the resumed download to end its session');
      assert.equal(after?.state, 'downloaded', 'the same session finished');
    } finally {
      await kill9(server);
    }
  });

  it('survives kill -9 at random moments, cycle after cycle, with nothing acknowledged lost', async () => {
    const cycles = Number(process.env.OTA_CRASH_CYCLES ?? 4);
    const data = join(dir, 'data');
    let server = await serve(data);
    const image = randomBytes(3 * 1024 * 1024);
    const base = await release(server.url, randomBytes(10_000), '1.0.0');
    const upload = (await call(server.url, 'POST', '/api/v1/uploads', { pid: 'P', fwKey: 'K', channel: 'main', label: '2', filename: 'big.bin', size: image.length, sha256: sha256(image) })).json as UploadState;
    const deployments = new Set<string>();
    const attrs = new Map<string, number>();
    let uploaded = 0;
    for (let cycle = 0; cycle < cycles; cycle++) {
      let alive = true;
      const url = server.url;
      const work = [
        (async () => {
          while (alive) {
            const r = await call(url, 'POST', '/api/v1/deployments', { releaseId: base.id, devices: [`c${cycle}`] }).catch(() => undefined);
            if (r?.status === 201) deployments.add((r.json as Deployment).id);
          }
        })(),
        (async () => {
          for (let n = 1; alive; n++) {
            const device = `dev${n % 5}`;
            const r = await request(url + ddiPaths.configData('DEFAULT', device), { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ data: { counter: String(cycle * 1e6 + n) } }) }).catch(() => undefined);
            if (r?.status === 200) attrs.set(device, cycle * 1e6 + n);
          }
        })(),
        (async () => {
          while (alive && uploaded < image.length) {
            const chunk = image.subarray(uploaded, Math.min(image.length, uploaded + 64 * 1024));
            const r = await call(url, 'PUT', `/api/v1/uploads/${upload.id}`, chunk, { 'upload-offset': String(uploaded), 'content-type': 'application/octet-stream' }).catch(() => undefined);
            if (r?.status === 200) uploaded = (r.json as UploadState).offset;
            else return;
          }
        })(),
      ];
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 500));
      await kill9(server);
      alive = false;
      await Promise.all(work);

      server = await serve(data);
      const status = (await call(server.url, 'GET', '/api/v1/status')).json as StatusReport;
      const restored = new Set(status.deployments.map((d) => d.id));
      for (const id of deployments) assert.ok(restored.has(id), `cycle ${cycle}: acknowledged deployment ${id} lost`);
      for (const [device, n] of attrs) {
        const got = Number(status.devices.find((d) => d.id === device)?.attributes.counter);
        assert.ok(got >= n, `cycle ${cycle}: ${device} reported ${n} (acknowledged) but the server has ${got}`);
      }
      const offset = ((await call(server.url, 'GET', `/api/v1/uploads/${upload.id}`)).json as UploadState).offset;
      assert.ok(offset >= uploaded, `cycle ${cycle}: upload at ${offset}, ${uploaded} acknowledged`);
      uploaded = offset;
    }
    try {
      const rest = await call(server.url, 'PUT', `/api/v1/uploads/${upload.id}`, image.subarray(uploaded), { 'upload-offset': String(uploaded), 'content-type': 'application/octet-stream' });
      assert.equal(rest.status, 200);
      const done = await call(server.url, 'POST', `/api/v1/uploads/${upload.id}/complete`);
      assert.equal(done.status, 201, JSON.stringify(done.json));
      assert.ok(deployments.size > 0 && attrs.size > 0);
    } finally {
      await kill9(server);
    }
  });

  it('a full tmpfs mid-upload (ENOSPC) gives the same clear error (needs root to mount)', async function () {
    const mnt = join(dir, 'tiny');
    await mkdir(mnt);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mnt], { stdio: 'ignore' });
    } catch {
      this.skip();
    }
    try {
      await writeFile(join(mnt, 'token'), token);
      const server = await serve(join(mnt, 'data'));
      try {
        const data = randomBytes(3 * 1024 * 1024);
        const begin = (await call(server.url, 'POST', '/api/v1/uploads', { pid: 'P', fwKey: 'K', channel: 'main', label: '1', filename: 'fw.bin', size: data.length })).json as UploadState;
        const put = await call(server.url, 'PUT', `/api/v1/uploads/${begin.id}`, data, { 'upload-offset': '0', 'content-type': 'application/octet-stream' });
        assert.equal(put.status, 507);
        assert.match((put.json as { error: string }).error, /no space left to store upload [0-9a-f]+ \(ENOSPC\)/);
        assert.deepEqual((await call(server.url, 'GET', '/api/v1/releases')).json, []);
        const small = await release(server.url, randomBytes(100_000), '2');
        assert.equal(small.size, 100_000, 'the space of the failed upload was given back');
      } finally {
        await kill9(server);
      }
    } finally {
      execFileSync('umount', [mnt]);
    }
  });
});
