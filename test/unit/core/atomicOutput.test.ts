import * as assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OtaError } from '../../../src/core/errors';
import { moveDurably, writeAtomically, writeFileAtomically } from '../../../src/core/files/atomicOutput';

describe('atomic file replacement', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ota-atomic-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('replaces a file whole, with the mode asked for, leaving no temp file', async () => {
    const file = join(dir, 'ca.key');
    await writeFile(file, 'old');
    await writeFileAtomically(file, 'new key', { mode: 0o600 });
    assert.equal(await readFile(file, 'utf8'), 'new key');
    if (process.platform !== 'win32') assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.deepEqual(await readdir(dir), ['ca.key']);
  });

  for (const durable of [true, false]) {
    it(`shows readers the old file until commit, then the new one whole (durable: ${durable})`, async () => {
      const target = join(dir, 'out.bin');
      await writeFile(target, 'old');
      await writeAtomically(
        target,
        async (out) => {
          await out.write(Buffer.from('new '));
          // Until commit the old file is what readers see.
          assert.equal(await readFile(target, 'utf8'), 'old');
          await out.write(Buffer.from('bytes'));
        },
        { durable, mode: 0o600 },
      );
      assert.equal(await readFile(target, 'utf8'), 'new bytes');
      if (process.platform !== 'win32') assert.equal((await stat(target)).mode & 0o777, 0o600);
      assert.deepEqual(await readdir(dir), ['out.bin']);
    });
  }

  for (const durable of [true, false]) {
    it(`keeps the old content when the writer fails, and removes its temp file (durable: ${durable})`, async () => {
      const file = join(dir, 'otadata.json');
      await writeFile(file, '{"slot":"a"}');
      await assert.rejects(
        writeAtomically(
          file,
          async (out) => {
            await out.write(Buffer.from('{"slot":'));
            throw new Error('power cut in the middle');
          },
          { durable },
        ),
        /power cut/,
      );
      assert.equal(await readFile(file, 'utf8'), '{"slot":"a"}');
      assert.deepEqual(await readdir(dir), ['otadata.json']);
    });
  }

  it('says where and what to do when the folder does not exist, with the caller’s hint', async () => {
    const file = join(dir, 'missing', 'server.pem');
    await assert.rejects(writeFileAtomically(file, 'x', { hint: 'Check the TLS folder.' }), (err: unknown) => err instanceof OtaError && err.where === file && /its directory does not exist/.test(err.message) && err.hint === 'Check the TLS folder.');
  });

  it('moves a finished directory into place', async () => {
    await writeFile(join(dir, 'part'), 'bytes');
    await moveDurably(join(dir, 'part'), join(dir, 'done'));
    assert.deepEqual(await readdir(dir), ['done']);
  });
});
