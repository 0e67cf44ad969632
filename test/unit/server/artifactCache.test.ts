import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ArtifactCache } from '../../../src/server/storage/artifactCache';
import { removeDir, tempDir } from './helpers/server';

describe('artifact cache', () => {
  it('keeps small artifacts in memory, streams big ones, and drops the least recently used past its budget', async () => {
    const dir = await tempDir('ota-cache-');
    try {
      const files: Record<string, Buffer> = { a: randomBytes(400), b: randomBytes(400), c: randomBytes(400), big: randomBytes(2000) };
      for (const [name, data] of Object.entries(files)) await writeFile(join(dir, name), data);
      // Entries are keyed by the sha256 of their bytes, and checked against it when loaded.
      const key = Object.fromEntries(Object.entries(files).map(([name, data]) => [name, createHash('sha256').update(data).digest('hex')]));
      const cache = new ArtifactCache(1000, 1000);
      assert.ok((await cache.get(key.a!, join(dir, 'a'))).data?.equals(files.a!));
      const big = await cache.get(key.big!, join(dir, 'big'));
      assert.equal(big.data, undefined, 'over the per-file limit: streamed from disk');
      assert.equal(big.size, 2000);
      await cache.get(key.b!, join(dir, 'b'));
      await cache.get(key.a!, join(dir, 'a')); // a is now the most recently used
      await cache.get(key.c!, join(dir, 'c')); // 1200 bytes held > 1000: b goes
      assert.ok(cache.peek(key.a!));
      assert.equal(cache.peek(key.b!), undefined);
      assert.ok(cache.peek(key.c!));
      cache.forget(key.a!);
      assert.equal(cache.peek(key.a!), undefined);
      await assert.rejects(cache.get('missing', join(dir, 'missing')), /ENOENT/);
      assert.equal(cache.peek('missing'), undefined, 'a failed load is not remembered');
    } finally {
      await removeDir(dir);
    }
  });
});
