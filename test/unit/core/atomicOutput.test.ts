import * as assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeAtomically } from '../../../src/core/files/atomicOutput';

describe('atomic output files', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'ota-atomic-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  for (const durable of [true, false]) {
    it(`replaces the target whole and leaves no temp file (durable: ${durable})`, async () => {
      const target = join(dir, 'out.bin');
      await writeFile(target, 'old');
      await writeAtomically(target, async (out) => {
        await out.write(Buffer.from('new '));
        // Until commit the old file is what readers see.
        assert.equal(await readFile(target, 'utf8'), 'old');
        await out.write(Buffer.from('bytes'));
      }, { durable, mode: 0o600 });
      assert.equal(await readFile(target, 'utf8'), 'new bytes');
      assert.equal((await stat(target)).mode & 0o777, 0o600);
      assert.deepEqual(await readdir(dir), ['out.bin']);
    });
  }

  it('keeps the old file and removes the temp file when the body fails', async () => {
    const target = join(dir, 'out.bin');
    await writeFile(target, 'old');
    await assert.rejects(writeAtomically(target, async (out) => {
      await out.write(Buffer.from('half'));
      throw new Error('cancelled');
    }, { durable: false }), /cancelled/);
    assert.equal(await readFile(target, 'utf8'), 'old');
    assert.deepEqual(await readdir(dir), ['out.bin']);
  });
});
