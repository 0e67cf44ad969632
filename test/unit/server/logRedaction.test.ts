import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { Logger } from '../../../src/core/logger';
import { logTarget } from '../../../src/server/http/logTarget';
import { startServer } from '../../../src/server/startServer';
import { request } from './helpers/http';
import { removeDir, start, tempDir, token, uploadRelease } from './helpers/server';

describe('server error log', () => {
  it('a 500 on a device URL with ?token= logs the path, never the token', async () => {
    const dir = await tempDir();
    const first = await start(dir);
    const release = await uploadRelease(first, randomBytes(10_000), { pid: 'P', fwKey: 'K', channel: 'main', label: '1' });
    const artifact = first.service.ctx.artifacts.artifactPath(release.sha256);
    await first.close(0);
    // The stored image vanishes behind the server's back: serving it fails with a 500.
    await rm(artifact);
    const lines: string[] = [];
    const keep = (m: unknown): void => void lines.push(String(m instanceof Error ? (m.stack ?? m.message) : m));
    const log: Logger = { trace: keep, debug: keep, info: keep, warn: keep, error: keep };
    const server = await startServer({ dataDir: dir, port: 0, token, deviceToken: 'secret', log });
    try {
      const reply = await request(`${server.url}/fw/${release.id}/${release.filename}?device=d1&token=secret&key=K`);
      assert.equal(reply.status, 500);
      const logged = lines.join('\n');
      assert.match(logged, new RegExp(`GET /fw/${release.id}/${release.filename}\\?device=d1&token=\\*\\*\\*&key=K`));
      assert.doesNotMatch(logged, /secret/);
    } finally {
      await server.close(0);
      await removeDir(dir);
    }
  });

  it('masks every token value, keeps the rest, and drops an absolute target’s host and password', () => {
    assert.equal(logTarget('/fw/latest'), '/fw/latest');
    assert.equal(logTarget('/fw/latest?device=a&version=1'), '/fw/latest?device=a&version=1');
    assert.equal(logTarget('/x?token=a&token=b&d=1'), '/x?token=***&token=***&d=1');
    assert.equal(logTarget('http://u:pw@host:1/x?token=a'), '/x?token=***');
  });
});
