import * as assert from 'node:assert/strict';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { silentLogger } from '../../../src/core/logger';
import * as zlib from 'node:zlib';
import { crc32 } from '../../../src/server/storage/crc32';
import { Journal } from '../../../src/server/storage/journal';
import { removeDir, tempDir } from './helpers/server';

describe('journal', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir('ota-journal-');
  });
  afterEach(() => removeDir(dir));

  async function replay(path: string): Promise<{ journal: Journal<{ n: number }>; records: { n: number }[] }> {
    const records: { n: number }[] = [];
    const journal = await Journal.open<{ n: number }>(path, (r) => records.push(r), silentLogger);
    return { journal, records };
  }

  it('replays every acknowledged record in order', async () => {
    const path = join(dir, 'j.log');
    const { journal } = await replay(path);
    await Promise.all(Array.from({ length: 50 }, (_, n) => journal.append({ n }, n % 2 === 0)));
    await journal.close();
    const again = await replay(path);
    assert.deepEqual(again.records.map((r) => r.n), Array.from({ length: 50 }, (_, n) => n));
    await again.journal.close();
  });

  it('drops a torn last record and appends cleanly after it', async () => {
    const path = join(dir, 'j.log');
    const { journal } = await replay(path);
    await journal.append({ n: 1 });
    await journal.append({ n: 2 });
    await journal.close();
    const intact = await readFile(path);
    // What a kill -9 in the middle of a write leaves: half a line, no newline.
    await appendFile(path, intact.subarray(0, 14));
    const torn = await replay(path);
    assert.deepEqual(torn.records, [{ n: 1 }, { n: 2 }]);
    await torn.journal.append({ n: 3 });
    await torn.journal.close();
    const last = await replay(path);
    assert.deepEqual(last.records, [{ n: 1 }, { n: 2 }, { n: 3 }]);
    await last.journal.close();
  });

  it('skips a record whose checksum does not match', async () => {
    const path = join(dir, 'j.log');
    const { journal } = await replay(path);
    await journal.append({ n: 1 });
    await journal.append({ n: 2 });
    await journal.close();
    const text = (await readFile(path, 'utf8')).replace('{"n":1}', '{"n":7}');
    await writeFile(path, text);
    const r = await replay(path);
    assert.deepEqual(r.records, [{ n: 2 }]);
    await r.journal.close();
  });
});

describe('crc32', () => {
  it('matches the IEEE check value and zlib', () => {
    assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
    const data = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) & 0xff));
    if (typeof zlib.crc32 === 'function') assert.equal(crc32(data), zlib.crc32(data));
  });
});
