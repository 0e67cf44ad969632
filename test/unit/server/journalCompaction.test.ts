import * as assert from 'node:assert/strict';
import { appendFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { silentLogger } from '../../../src/core/logger';
import { Journal } from '../../../src/server/storage/journal';
import { removeDir, tempDir } from './helpers/server';

interface Rec {
  n: number;
  pad?: string;
}

describe('journal: read in pieces, compacted while in use', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir('ota-journal-');
  });
  afterEach(() => removeDir(dir));

  async function replay(path: string): Promise<{ journal: Journal<Rec>; records: Rec[] }> {
    const records: Rec[] = [];
    const journal = await Journal.open<Rec>(path, (r) => records.push(r), silentLogger);
    return { journal, records };
  }

  it('replays records that straddle its 1 MiB read pieces, and skips one too long to be ours', async () => {
    const path = join(dir, 'j.log');
    const { journal } = await replay(path);
    // Records of 300 KB: most of them cross a piece boundary.
    for (let n = 0; n < 12; n++) await journal.append({ n, pad: String(n % 10).repeat(300_000) }, false);
    await journal.close();
    // A line of 70 MB without a valid checksum (what no server of ours writes), then one more record.
    await appendFile(path, Buffer.alloc(70 * 1024 * 1024, 0x41));
    await appendFile(path, '\n');
    const again = await replay(path);
    await again.journal.append({ n: 99 });
    await again.journal.close();
    const last = await replay(path);
    assert.deepEqual(last.records.map((r) => r.n), [...Array.from({ length: 12 }, (_, n) => n), 99]);
    assert.ok(last.records.slice(0, 12).every((r) => r.pad === String(r.n % 10).repeat(300_000)));
    // The torn tail (the long line was not intact) was cut: the file holds only intact records.
    assert.ok((await stat(path)).size < 5 * 1024 * 1024);
    await last.journal.close();
  });

  it('compacts to a snapshot while appends keep coming: nothing acknowledged is lost, the size follows the state', async () => {
    const path = join(dir, 'j.log');
    const { journal } = await replay(path);
    // The "state": the last value of each of 10 keys.
    const state = new Map<number, Rec>();
    const record = async (r: Rec): Promise<void> => {
      await journal.append(r, r.n % 3 === 0);
      state.set(r.n % 10, r);
    };
    for (let i = 0; i < 2000; i++) await record({ n: i, pad: 'x'.repeat(1000) });
    const before = journal.sizeBytes;
    // Appends racing the compaction: acknowledged ones must be in the new file.
    const racing = Array.from({ length: 200 }, (_, k) => record({ n: 2000 + k, pad: 'y' }));
    const compaction = journal.compact(() => [...state.values()]);
    const more = Array.from({ length: 200 }, (_, k) => record({ n: 2200 + k, pad: 'z' }));
    await Promise.all([...racing, compaction, ...more]);
    assert.ok(journal.sizeBytes < before / 20, `journal ${journal.sizeBytes} bytes after compaction, ${before} before`);
    await journal.close();
    const again = await replay(path);
    const rebuilt = new Map<number, Rec>();
    for (const r of again.records) rebuilt.set(r.n % 10, r);
    assert.deepEqual([...rebuilt.entries()].sort((a, b) => a[0] - b[0]), [...state.entries()].sort((a, b) => a[0] - b[0]));
    assert.ok(again.records.some((r) => r.n === 2399), 'the last acknowledged record survives');
    // No temp file is left beside it.
    assert.deepEqual(await readdir(dir), ['j.log']);
    await again.journal.close();
  });
});
