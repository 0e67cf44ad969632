import * as assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newestSource } from '../../../src/core/build/newestSource';

/** The OTA view's staleness check: the newest source file, never build output, bounded. */
describe('newestSource', () => {
  let dir: string;
  const at = async (file: string, secondsAgo: number) => {
    const path = join(dir, file);
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, file);
    const t = new Date(Date.now() - secondsAgo * 1000);
    await utimes(path, t, t);
  };
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'ota-newest-'))));
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('finds the newest source and skips build output, tool state and the excluded artifact folder', async () => {
    await at('main/main.c', 300);
    await at('components/net/wifi.c', 100);
    await at('build/app.bin', 1);
    await at('.git/index', 1);
    await at('node_modules/x/y.js', 1);
    await at('out-fw/image.bin', 1);
    const found = await newestSource(dir, { exclude: [join(dir, 'out-fw')] });
    assert.equal(found?.file, join(dir, 'components', 'net', 'wifi.c'));
    assert.equal(found?.files, 2);
    assert.equal(found?.truncated, false);
  });

  it('stops at maxFiles and says so', async () => {
    for (let i = 0; i < 12; i++) await at(`src/f${String(i).padStart(2, '0')}.c`, 100 + i);
    const found = await newestSource(dir, { maxFiles: 5 });
    assert.equal(found?.files, 5);
    assert.equal(found?.truncated, true);
  });
});
