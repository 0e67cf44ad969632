import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { writeAtomically } from '../../core/files/atomicOutput';
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
  /** The write loop while it runs. */
  private writing: Promise<void> | undefined;
  private compacting: Promise<void> | undefined;
  private closed = false;

  private constructor(
    private handle: FileHandle,
    readonly path: string,
    private size: number,
    /** Intact records found when the journal was opened. */
    readonly replayed: number,
  ) {}

  get sizeBytes(): number {
    return this.size;
  }

  get isCompacting(): boolean {
    return this.compacting !== undefined;
  }

  /**
   * Opens (creating) the journal and hands every intact record to `replay`, in order. The file is
   * read in pieces, never whole: its size is bounded by compaction, not by what a reader can
   * hold (a 2 GiB journal once made the server unable to start).
   */
  static async open<R>(path: string, replay: (record: R) => void, log: Logger): Promise<Journal<R>> {
    const handle = await open(path, 'a+');
    const buf = Buffer.allocUnsafe(readBytes);
    /** The start of a line that continues in the next piece (copied: `buf` is reused). */
    let carry: Buffer[] = [];
    let carried = 0;
    /** A line past `maxLineBytes` is not kept in memory: it is skipped up to its newline. */
    let overlong = false;
    let pos = 0;
    let goodEnd = 0;
    let skipped = 0;
    let replayed = 0;
    const onLine = (line: Buffer | undefined, end: number) => {
      const record = line === undefined ? undefined : decode<R>(line);
      if (record === undefined) {
        skipped++;
        return;
      }
      replay(record);
      replayed++;
      goodEnd = end;
    };
    for (;;) {
      const { bytesRead } = await handle.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) break;
      const piece = buf.subarray(0, bytesRead);
      let at = 0;
      while (at < piece.length) {
        const nl = piece.indexOf(0x0a, at);
        if (nl < 0) {
          if (!overlong) {
            carry.push(Buffer.from(piece.subarray(at)));
            carried += piece.length - at;
            if (carried > maxLineBytes) {
              overlong = true;
              carry = [];
              carried = 0;
            }
          }
          break;
        }
        const end = pos + nl + 1;
        if (overlong) onLine(undefined, end);
        else onLine(carried > 0 ? Buffer.concat([...carry, piece.subarray(at, nl)]) : piece.subarray(at, nl), end);
        carry = [];
        carried = 0;
        overlong = false;
        at = nl + 1;
      }
      pos += bytesRead;
    }
    // What is left in `carry` is a torn last record: no newline made it to disk.
    if (goodEnd < pos) {
      // Whatever follows the last intact record is a torn write; cut it so new records start clean.
      log.warn(`journal ${path}: dropped ${pos - goodEnd} bytes after the last intact record`);
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
      this.kick();
    });
  }

  /**
   * Replaces the journal with `snapshot()` (the fewest records that rebuild the live state), so
   * its size follows the state and not the history. Crash-safe: the snapshot is written to a
   * temp file, fsync'ed and renamed over the journal, then the directory is fsync'ed; a crash
   * leaves the old journal or the new one. Appends wait meanwhile (they are not acknowledged
   * until written to the new file).
   *
   * `snapshot` runs after every acknowledged record has been applied by its caller: it is called
   * a macrotask after the last write, once the awaiting code has run.
   */
  compact(snapshot: () => readonly R[]): Promise<void> {
    if (this.closed) return Promise.resolve();
    return (this.compacting ??= this.compactNow(snapshot).finally(() => {
      this.compacting = undefined;
      this.kick();
    }));
  }

  private async compactNow(snapshot: () => readonly R[]): Promise<void> {
    await this.writing;
    await new Promise((r) => setImmediate(r));
    const records = snapshot();
    let size = 0;
    await writeAtomically(this.path, async (out) => {
      // In pieces: a big state must not need one buffer of its whole size.
      let batch: Buffer[] = [];
      let batched = 0;
      for (const r of records) {
        const line = encode(r);
        batch.push(line);
        batched += line.length;
        if (batched >= readBytes) {
          await out.write(Buffer.concat(batch));
          batch = [];
          batched = 0;
        }
      }
      if (batched > 0) await out.write(Buffer.concat(batch));
      size = out.size;
    });
    const old = this.handle;
    this.handle = await open(this.path, 'a+');
    this.size = size;
    await old.close();
  }

  private kick(): void {
    if (this.writing || this.compacting) return;
    this.writing = this.drain().finally(() => {
      this.writing = undefined;
      if (this.pending.length > 0) this.kick();
    });
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0 && !this.compacting) {
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
  }

  async close(): Promise<void> {
    this.closed = true;
    while (this.compacting || this.writing || this.pending.length > 0) {
      await this.compacting?.catch(() => undefined);
      if (this.pending.length > 0) this.kick();
      await this.writing;
    }
    await this.handle.close();
  }
}

/** The journal is read and snapshots are written in pieces of this size. */
const readBytes = 1024 * 1024;
/** A record longer than this cannot be one we wrote (records are bounded): it is skipped unread. */
const maxLineBytes = 64 * 1024 * 1024;

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
