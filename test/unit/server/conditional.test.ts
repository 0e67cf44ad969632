import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { ddiPaths } from '../../../src/core/protocol/ddi';
import { plainFirmwarePath } from '../../../src/core/protocol/devicePaths';
import type { RunningServer } from '../../../src/server/startServer';
import { request } from './helpers/http';
import { removeDir, sha256, start, tempDir, uploadRelease } from './helpers/server';

describe('conditional requests on firmware URLs (RFC 9110 §13)', () => {
  let dir: string;
  let server: RunningServer;
  const image = randomBytes(10_000);

  beforeEach(async () => {
    dir = await tempDir();
    server = await start(dir);
  });
  afterEach(async () => {
    await server.close(0);
    await removeDir(dir);
  });

  it('answers 304 to a matching If-None-Match and 412 to a failing If-Match, on the plain URL and the DDI artifact', async () => {
    const release = await uploadRelease(server, image, { pid: 'P', fwKey: 'K', channel: 'main', label: '1.0.1' });
    const etag = `"${sha256(image)}"`;
    for (const url of [server.url + plainFirmwarePath(release.id, 'fw.bin'), server.url + ddiPaths.artifact('DEFAULT', 'd1', release.id, 'fw.bin')]) {
      const first = await request(url);
      assert.equal(first.status, 200);
      assert.equal(first.headers.etag, etag);

      const cached = await request(url, { headers: { 'if-none-match': etag } });
      assert.equal(cached.status, 304, url);
      assert.equal(cached.body.length, 0);
      assert.equal(cached.headers.etag, etag);
      assert.equal(cached.headers['last-modified'], first.headers['last-modified']);
      assert.equal((await request(url, { method: 'HEAD', headers: { 'if-none-match': `W/${etag}` } })).status, 304);
      assert.equal((await request(url, { headers: { 'if-modified-since': first.headers['last-modified']! } })).status, 304);
      assert.equal((await request(url, { headers: { 'if-none-match': '"stale"' } })).status, 200);

      const changed = await request(url, { headers: { 'if-match': '"stale"', range: 'bytes=0-99' } });
      assert.equal(changed.status, 412, 'the precondition is checked before the range');
      assert.equal(changed.body.length, 0);
      const same = await request(url, { headers: { 'if-match': etag, range: 'bytes=0-99' } });
      assert.equal(same.status, 206);
      assert.ok(same.body.equals(image.subarray(0, 100)));
    }
  });
});
