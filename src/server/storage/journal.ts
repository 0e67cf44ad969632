import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { writeFileAtomically } from '../../core/files/atomicOutput';
import { crc32 } from './crc32';
import type { Logger } from '../../core/logger';

/**
 * An append-only journal of JSON records, one a line: `<crc32 hex>\t<json>\n`.
 * A record is acknowledged only after it is written and, when `durable`, fdatasync'ed, so a
 * `kill -9` (or power loss) can at worst leave one torn record at the tail; replay drops it and
 * truncates the file there. Writes are group-committed: records that arrive while a sync is in
 * flight share the next write and the next sync.
 */
export class Journal<R> {
  private pending: { line: Buffer; durable: boolean; done: (err?: Error) => void }[] = [];
  private flushing = false;
  private closed = false;

  private constructor(
    private readonly handle: FileHandle,
    readonly path: string,
    private size: number,
    /** Intact records found when the journal was opened. */
    readonly replayed: number,
  ) {}

  get sizeBytes(): number {
    return this.size;
  }

  /**
   * Replaces the journal at `path` with `records` (a snapshot of the live state), crash-safely:
   * written to a temp file, fsync'ed, renamed over the old one, directory fsync'ed. A crash at
   * any point leaves either the old journal or the new one. Call it only while nothing appends.
   */
  static async writeSnapshot<R>(path: string, records: readonly R[]): Promise<void> {
    await writeFileAtomically(path, Buffer.concat(records.map(encode)));
  }

  /** Opens (creating) the journal and hands every intact record to `replay`, in order. */
  static async open<R>(path: string, replay: (record: R) => void, log: Logger): Promise<Journal<R>> {
    const handle = await open(path, 'a+');
    const text = await handle.readFile();
    let goodEnd = 0;
    let at = 0;
    let skipped = 0;
    let replayed = 0;
    while (at < text.length) {
      const nl = text.indexOf(0x0a, at);
      if (nl < 0) break; // a torn last record: no newline made it to disk
      const line = text.subarray(at, nl);
      at = nl + 1;
      const record = decode<R>(line);
      if (record === undefined) {
        skipped++;
        continue;
      }
      replay(record);
      replayed++;
      goodEnd = at;
    }
    if (goodEnd < text.length) {
      // Whatever follows the last intact record is a torn write; cut it so new records start clean.
      log.warn(`journal ${path}: dropped ${text.length - goodEnd} bytes of a torn last record`);
      await handle.truncate(goodEnd);
      await handle.datasync();
    }
    if (skipped > 0) log.warn(`journal ${path}: skipped ${skipped} corrupt record(s)`);
    return new Journal<R>(handle, path, goodEnd, replayed);
  }

  /** Resolves once the record is written (and synced to disk when `durable`). */
  append(record: R, durable = true): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`journal ${this.path} is closed`));
    const line = encode(record);
    return new Promise((resolve, reject) => {
      this.pending.push({ line, durable, done: (err) => (err ? reject(err) : resolve()) });
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending;
        this.pending = [];
        try {
          const data = Buffer.concat(batch.map((b) => b.line));
          let written = 0;
          while (written < data.length) written += (await this.handle.write(data, written)).bytesWritten;
          if (batch.some((b) => b.durable)) await this.handle.datasync();
          this.size += data.length;
          for (const b of batch) b.done();
        } catch (err) {
          // A failed write (disk full) may have left part of a line; cut it so the next record
          // does not merge with it and get lost on replay.
          await this.handle.truncate(this.size).catch(() => undefined);
          for (const b of batch) b.done(err as Error);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    while (this.flushing || this.pending.length > 0) await new Promise((r) => setTimeout(r, 5));
    await this.handle.close();
  }
}

function decode<R>(line: Buffer): R | undefined {
  const tab = line.indexOf(0x09);
  if (tab !== 8) return undefined;
  const json = line.subarray(9);
  if (crc32(json).toString(16).padStart(8, '0') !== line.subarray(0, 8).toString('latin1')) return undefined;
  try {
    return JSON.parse(json.toString('utf8')) as R;
  } catch {
    return undefined;
  }
}

function encode(record: unknown): Buffer {
  const json = Buffer.from(JSON.stringify(record), 'utf8');
  return Buffer.concat([Buffer.from(`${crc32(json).toString(16).padStart(8, '0')}\t`, 'latin1'), json, Buffer.from('\n')]);
}
