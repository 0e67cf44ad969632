import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ManagementClient } from '../../../src/providers/ota/managementClient';
import { cuttingProxy } from './helpers/cuttingProxy';
import { removeDir, sha256, start, tempDir, token } from './helpers/server';

describe('management client', () => {
  it('resumes an upload cut twice by the network from the offset the server reports', async () => {
    const dir = await tempDir();
    const server = await start(dir);
    const proxy = await cuttingProxy(server.port, 1_000_000, 2);
    try {
      const image = randomBytes(5 * 1024 * 1024);
      const file = join(dir, 'fw.bin');
      await writeFile(file, image);
      const offsets: number[] = [];
      const release = await new ManagementClient(proxy.url, token).pushFile(file, { pid: 'P', fwKey: 'K', channel: 'main', label: '1' }, { onProgress: (p) => offsets.push(p.done ?? 0) });
      assert.equal(proxy.cutsDone(), 2);
      assert.equal(release.sha256, sha256(image));
      assert.ok(offsets.some((o) => o > 0 && o < image.length), `resumed from a partial offset: ${offsets.join(', ')}`);
    } finally {
      await proxy.close();
      await server.close(0);
      await removeDir(dir);
    }
  });

  it('reports upload progress while the bytes go out, increasing and ending at the size', async () => {
    const dir = await tempDir();
    const server = await start(dir);
    try {
      const image = randomBytes(4 * 1024 * 1024);
      const file = join(dir, 'fw.bin');
      await writeFile(file, image);
      const done: number[] = [];
      await new ManagementClient(server.url, token).pushFile(file, { pid: 'P', fwKey: 'K', channel: 'main', label: '1' }, { onProgress: (p) => done.push(p.done ?? -1) });
      assert.ok(done.length >= 5, `several reports, not just the end: ${done.join(', ')}`);
      assert.ok(done.every((d, i) => i === 0 || d > (done[i - 1] ?? 0)), `strictly increasing: ${done.join(', ')}`);
      assert.equal(done.at(-1), image.length);
      assert.ok(done.length <= 101, `throttled: ${done.length} reports`);
    } finally {
      await server.close(0);
      await removeDir(dir);
    }
  });

  it('says what to do when the token is wrong or the server is not there', async () => {
    const dir = await tempDir();
    const server = await start(dir);
    try {
      await assert.rejects(new ManagementClient(server.url, 'wrong').status(), (err: Error & { hint?: string }) => /401/.test(err.message) && /token/.test(err.hint ?? ''));
    } finally {
      await server.close(0);
      await removeDir(dir);
    }
    await assert.rejects(new ManagementClient(server.url, token).status(), /cannot reach the OTA server/);
  });
});
