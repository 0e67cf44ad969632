import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { Release, StatusReport, UploadState } from '../../../src/core/protocol/management';
import type { RunningServer } from '../../../src/server/startServer';
import { request } from './helpers/http';
import { api, removeDir, sha256, start, tempDir, token, uploadRelease } from './helpers/server';

describe('management API', () => {
  let dir: string;
  let server: RunningServer;

  beforeEach(async () => {
    dir = await tempDir();
    server = await start(dir, { maxArtifactBytes: 1024 * 1024 });
  });
  afterEach(async () => {
    await server.close(0);
    await removeDir(dir);
  });

  it('answers 401 for a missing or wrong bearer token', async () => {
    assert.equal((await request(`${server.url}/api/v1/status`)).status, 401);
    const wrong = await request(`${server.url}/api/v1/status`, { headers: { authorization: `Bearer ${token}x` } });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.headers['www-authenticate'], 'Bearer realm="ota"');
    assert.equal((await request(`${server.url}/api/v1/status`, { headers: { authorization: `Basic ${token}` } })).status, 401);
    assert.equal((await api(server, 'GET', '/api/v1/status')).status, 200);
  });

  it('answers 400 with the reason for bad JSON and bad manifests', async () => {
    const broken = await api(server, 'POST', '/api/v1/uploads', '{"pid": "P",');
    assert.equal(broken.status, 400);
    assert.match((broken.json as { error: string }).error, /not valid JSON: .+/);
    const missing = await api(server, 'POST', '/api/v1/uploads', { pid: 'P', fwKey: 'K', channel: 'main', filename: 'fw.bin', size: 10 });
    assert.equal(missing.status, 400);
    assert.match((missing.json as { error: string }).error, /"label"/);
    const path = await api(server, 'POST', '/api/v1/uploads', { pid: 'P', fwKey: 'K', channel: 'main', label: '1', filename: '../x', size: 10 });
    assert.equal(path.status, 400);
  });

  it('answers 413 for an image over the limit, a chunk past the declared size and an oversized JSON body', async () => {
    const big = await api(server, 'POST', '/api/v1/uploads', { pid: 'P', fwKey: 'K', channel: 'main', label: '1', filename: 'fw.bin', size: 2 * 1024 * 1024 });
    assert.equal(big.status, 413);
    const begin = (await api(server, 'POST', '/api/v1/uploads', { pid: 'P', fwKey: 'K', channel: 'main', label: '1', filename: 'fw.bin', size: 100 })).json as UploadState;
    const over = await api(server, 'PUT', `/api/v1/uploads/${begin.id}`, randomBytes(101), { 'upload-offset': '0', 'content-type': 'application/octet-stream' });
    assert.equal(over.status, 413);
    assert.equal(((await api(server, 'GET', `/api/v1/uploads/${begin.id}`)).json as UploadState).offset, 0, 'the refused chunk left nothing behind');
    const huge = await api(server, 'POST', '/api/v1/deployments', JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) }));
    assert.equal(huge.status, 413);
  });

  it('resumes an interrupted upload from the offset the server reports, then checks the hash', async () => {
    const data = randomBytes(300_000);
    const begin = (await api(server, 'POST', '/api/v1/uploads', { pid: 'P', fwKey: 'K', channel: 'main', label: '1.0.0', filename: 'fw.bin', size: data.length, sha256: sha256(data) })).json as UploadState;
    // Send part of the bytes and hang up mid-request, as a dropped link would.
    await new Promise<void>((resolve) => {
      const req = http.request(`${server.url}/api/v1/uploads/${begin.id}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'upload-offset': '0', 'content-length': String(data.length), 'content-type': 'application/octet-stream' },
      });
      req.on('error', () => resolve());
      req.write(data.subarray(0, 120_000), () => setTimeout(() => req.destroy(), 100));
      req.on('close', () => resolve());
    });
    let state: UploadState | undefined;
    for (let i = 0; i < 100 && (!state || state.offset === 0); i++) {
      state = (await api(server, 'GET', `/api/v1/uploads/${begin.id}`)).json as UploadState;
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(state!.offset > 0 && state!.offset <= 120_000, `offset ${state!.offset}`);
    const wrongOffset = await api(server, 'PUT', `/api/v1/uploads/${begin.id}`, data.subarray(0, 10), { 'upload-offset': '0', 'content-type': 'application/octet-stream' });
    assert.equal(wrongOffset.status, 409);
    const rest = await api(server, 'PUT', `/api/v1/uploads/${begin.id}`, data.subarray(state!.offset), { 'upload-offset': String(state!.offset), 'content-type': 'application/octet-stream' });
    assert.equal(rest.status, 200);
    const done = await api(server, 'POST', `/api/v1/uploads/${begin.id}/complete`);
    assert.equal(done.status, 201);
    const release = done.json as Release;
    assert.equal(release.sha256, sha256(data));
    const back = await request(`${server.url}/fw/${release.id}/fw.bin`);
    assert.ok(back.body.equals(data));
  });

  it('takes one chunk at a time per upload (409 for a second writer)', async () => {
    const begin = (await api(server, 'POST', '/api/v1/uploads', { pid: 'P', fwKey: 'K', channel: 'main', label: '1', filename: 'fw.bin', size: 100_000 })).json as UploadState;
    const hanging = http.request(`${server.url}/api/v1/uploads/${begin.id}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'upload-offset': '0', 'content-length': '100000', 'content-type': 'application/octet-stream' },
    });
    hanging.on('error', () => undefined);
    await new Promise<void>((r) => hanging.write(randomBytes(1000), () => r()));
    // Until the server has taken the hanging chunk, a second writer would simply be first (and move
    // the offset). A GET for the offset waits while a writer holds the upload: that it does not
    // answer at once is the sign the first writer holds it.
    const pendingAsks: Promise<unknown>[] = [];
    for (let i = 0; ; i++) {
      assert.ok(i < 100, 'the server never took the first chunk');
      const ask = api(server, 'GET', `/api/v1/uploads/${begin.id}`).catch(() => undefined);
      pendingAsks.push(ask);
      if (!(await Promise.race([ask.then(() => true), new Promise((r) => setTimeout(() => r(false), 300))]))) break;
    }
    const second = await api(server, 'PUT', `/api/v1/uploads/${begin.id}`, randomBytes(10), { 'upload-offset': '0', 'content-type': 'application/octet-stream' });
    assert.equal(second.status, 409);
    assert.match((second.json as { error: string }).error, /busy with another request/);
    assert.equal((await api(server, 'POST', `/api/v1/uploads/${begin.id}/complete`)).status, 409);
    hanging.destroy();
    await Promise.all(pendingAsks);
  });

  it('accepts a numeric releaseId when deploying', async () => {
    const release = await uploadRelease(server, randomBytes(100), { pid: 'P', fwKey: 'K', channel: 'main', label: '1' });
    const dep = await api(server, 'POST', '/api/v1/deployments', { releaseId: Number(release.id) });
    assert.equal(dep.status, 201);
    assert.equal((await api(server, 'POST', '/api/v1/deployments', { releaseId: { id: 1 } })).status, 400);
  });

  it('refuses a release whose bytes do not match the manifest hash', async () => {
    const data = randomBytes(1000);
    const begin = (await api(server, 'POST', '/api/v1/uploads', { pid: 'P', fwKey: 'K', channel: 'main', label: '1', filename: 'fw.bin', size: 1000, sha256: sha256(randomBytes(1000)) })).json as UploadState;
    await api(server, 'PUT', `/api/v1/uploads/${begin.id}`, data, { 'upload-offset': '0', 'content-type': 'application/octet-stream' });
    const done = await api(server, 'POST', `/api/v1/uploads/${begin.id}/complete`);
    assert.equal(done.status, 422);
    assert.match((done.json as { error: string }).error, /sha256 of fw.bin is [0-9a-f]{64}, the manifest says/);
    assert.deepEqual((await api(server, 'GET', '/api/v1/releases')).json, []);
  });

  it('lists and deletes releases, refusing while a deployment uses one', async () => {
    const data = randomBytes(2000);
    const a = await uploadRelease(server, data, { pid: 'P', fwKey: 'K', channel: 'main', label: '1.0.0' });
    // The stress test: the same bytes under the next label share one stored artifact.
    const b = await uploadRelease(server, data, { pid: 'P', fwKey: 'K', channel: 'main', label: '1.0.1' });
    assert.equal(((await api(server, 'GET', '/api/v1/releases')).json as Release[]).length, 2);
    const dep = (await api(server, 'POST', '/api/v1/deployments', { releaseId: a.id })).json as { id: string };
    assert.equal((await api(server, 'DELETE', `/api/v1/releases/${a.id}`)).status, 409);
    await api(server, 'POST', `/api/v1/deployments/${dep.id}/cancel`);
    assert.equal((await api(server, 'DELETE', `/api/v1/releases/${a.id}`)).status, 204);
    assert.equal((await request(`${server.url}/fw/${b.id}/fw.bin`)).status, 200, 'the other release keeps the shared bytes');
    const status = (await api(server, 'GET', '/api/v1/status')).json as StatusReport;
    assert.deepEqual(status.releases.map((r) => r.id), [b.id]);
    assert.equal(((await api(server, 'GET', `/api/v1/deployments/${dep.id}`)).json as { state: string }).state, 'cancelled');
    assert.equal((await api(server, 'GET', '/api/v1/devices/nobody')).status, 404);
    assert.equal((await api(server, 'GET', '/api/v1/sessions/999')).status, 404);
    assert.equal((await api(server, 'PATCH', '/api/v1/releases')).status, 405);
    assert.deepEqual(status.products, [{ pid: 'P', keys: ['K'] }]);
  });

  it('streams events over SSE', async () => {
    const events: string[] = [];
    const req = http.get(`${server.url}/api/v1/events`, { headers: { authorization: `Bearer ${token}` } });
    const got = new Promise<void>((resolve) => {
      req.on('response', (res) => {
        assert.equal(res.headers['content-type'], 'text/event-stream; charset=utf-8');
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          for (const m of chunk.matchAll(/^event: (.+)$/gm)) events.push(m[1]!);
          if (events.includes('release.created')) resolve();
        });
      });
    });
    await new Promise((r) => setTimeout(r, 50));
    await uploadRelease(server, randomBytes(100), { pid: 'P', fwKey: 'K', channel: 'main', label: '1' });
    await got;
    req.destroy();
    assert.ok(events.includes('release.created'));
  });

  it('answers 404 for plain and encoded path traversal, and never leaks the data directory', async () => {
    const release = await uploadRelease(server, randomBytes(100), { pid: 'P', fwKey: 'K', channel: 'main', label: '1' });
    for (const path of [
      '/fw/../journal.log',
      `/fw/${release.id}/..%2f..%2fjournal.log`,
      `/fw/${release.id}/%2e%2e`,
      '/fw/%2e%2e/journal.log',
      `/fw/${release.id}/fw.bin%00`,
      '/DEFAULT/controller/v1/d1/softwaremodules/%2e%2e/artifacts/journal.log',
      `/DEFAULT/controller/v1/d1/softwaremodules/${release.id}/artifacts/..%5cjournal.log`,
      '/journal.log',
      '/artifacts/' + release.sha256,
      '/fw/%E0%A4%A/x',
    ]) {
      const r = await request(server.url + path);
      assert.equal(r.status, 404, path);
      assert.match(String(r.headers['content-type']), /application\/json/, path);
    }
  });
});

describe('graceful shutdown', () => {
  it('ends event streams cleanly and lets a download in flight finish', async () => {
    const dir = await tempDir();
    const server = await start(dir);
    try {
      const data = randomBytes(12 * 1024 * 1024);
      const release = await uploadRelease(server, data, { pid: 'P', fwKey: 'K', channel: 'main', label: '1' });
      let started = 0;
      let bothStarted: () => void = () => undefined;
      const ready = new Promise<void>((r) => (bothStarted = r));
      const onStart = () => ++started === 2 && bothStarted();
      const sseEnded = new Promise<boolean>((resolve) => {
        http.get(`${server.url}/api/v1/events`, { headers: { authorization: `Bearer ${token}` } }, (res) => {
          onStart();
          res.resume();
          res.on('end', () => resolve(true));
          res.on('error', () => resolve(false));
        });
      });
      const download = new Promise<Buffer>((resolve, reject) => {
        http.get(`${server.url}/fw/${release.id}/fw.bin`, (res) => {
          onStart();
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve(Buffer.concat(chunks)));
          res.on('error', reject);
        });
      });
      await ready;
      await server.close(20_000);
      assert.ok(await sseEnded, 'the event stream ended, not reset');
      assert.ok((await download).equals(data), 'the download finished');
    } finally {
      await server.close(0);
      await removeDir(dir);
    }
  });
});
