import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../../src/core/logger';
import type { Release } from '../../../src/core/protocol/management';
import type { RunningServer } from '../../../src/server/startServer';
import { startServer } from '../../../src/server/startServer';
import { request } from './helpers/http';
import { api, removeDir, sha256, tempDir, token, uploadRelease } from './helpers/server';

describe('release lifecycle: shared bytes and stored artifacts', () => {
  let dir: string;
  let server: RunningServer;
  const errors: string[] = [];
  const log: Logger = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: (m) => errors.push(String(m)) };
  const serve = async () => (server = await startServer({ dataDir: dir, port: 0, token, log }));

  beforeEach(async () => {
    dir = await tempDir();
    errors.length = 0;
    await serve();
  });
  afterEach(async () => {
    await server.close(0);
    await removeDir(dir);
  });

  it('never loses the bytes of an acknowledged release when a release with the same bytes is deleted during its completion (30 tries)', async () => {
    const image = randomBytes(64 * 1024);
    let older = await uploadRelease(server, image, { pid: 'P', fwKey: 'K', channel: 'main', label: '1.0.0' });
    const kept: Release[] = [];
    for (let attempt = 0; attempt < 30; attempt++) {
      const begin = await api(server, 'POST', '/api/v1/uploads', { filename: 'fw.bin', pid: 'P', fwKey: 'K', channel: 'main', label: `1.0.${attempt + 1}`, size: image.length, sha256: sha256(image) });
      const id = (begin.json as { id: string }).id;
      assert.equal((await api(server, 'PUT', `/api/v1/uploads/${id}`, image, { 'upload-offset': '0', 'content-type': 'application/octet-stream' })).status, 200);
      // The completion and the delete of the older release race.
      const [done, deleted] = await Promise.all([api(server, 'POST', `/api/v1/uploads/${id}/complete`), api(server, 'DELETE', `/api/v1/releases/${older.id}`)]);
      assert.equal(done.status, 201);
      assert.equal(deleted.status, 204);
      const release = done.json as Release;
      const got = await request(`${server.url}/fw/${release.id}/fw.bin`);
      assert.equal(got.status, 200, `attempt ${attempt}: the new release's bytes are there`);
      assert.ok(got.body.equals(image));
      kept.push(release);
      older = release;
    }
    await server.close(0);
    await serve();
    const last = kept.at(-1)!;
    const again = await request(`${server.url}/fw/${last.id}/fw.bin`);
    assert.equal(again.status, 200, 'also after a restart');
    assert.ok(again.body.equals(image));
  });

  it('refuses to serve an artifact changed on disk, with one clear log line, after a restart', async () => {
    const image = randomBytes(32 * 1024);
    const release = await uploadRelease(server, image, { pid: 'P', fwKey: 'K', channel: 'main', label: '1.0.0' });
    await server.close(0);
    const h = await open(join(dir, 'artifacts', release.sha256), 'r+');
    await h.write(Buffer.from([1, 2, 3, 4]), 0, 4, 1000);
    await h.close();
    await serve();
    for (const url of [`${server.url}/fw/${release.id}/fw.bin`, `${server.url}/DEFAULT/controller/v1/d1/softwaremodules/${release.id}/artifacts/fw.bin`]) {
      const got = await request(url, { headers: { range: 'bytes=0-99' } });
      assert.equal(got.status, 503, url);
      assert.equal(got.headers.etag, undefined, 'not served under its original ETag');
      assert.match(got.body.toString(), /changed on disk/);
    }
    assert.equal(errors.length, 1, errors.join('\n'));
    assert.match(errors[0]!, new RegExp(`no longer matches its sha256 \\(expected ${release.sha256}`));
    assert.ok(!errors[0]!.includes('\n    at '), 'a line, not a stack');
  });
});
