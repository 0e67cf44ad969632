import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { OtaError } from '../errors';

export interface AtomicOutputOptions {
  /** Default: 0o644. */
  mode?: number;
  /** What to do when the file cannot be created (default: choose another output path, -o PATH). */
  hint?: string;
  /**
   * false: no fsync before the rename, for a file the caller can make again from its inputs (what
   * `ota sign` writes, as compilers and imgtool do). The rename still keeps a half-written file
   * from ever being seen; only a power loss right after the run could leave it incomplete. The
   * fsync costs tens of milliseconds for a 16 MiB image. Default: true.
   */
  durable?: boolean;
}

/**
 * An output file that appears complete or not at all: bytes go to a temp file next to the target,
 * which is fsynced and renamed over it on `commit` (and the directory fsynced, so the rename
 * itself survives a power cut; `durable: false` skips both fsyncs); `abort` removes it. A failed or cancelled signing run therefore
 * never leaves a half-written image where a device could be offered it.
 *
 * The one way this project replaces a file: signed images, releases, keys, certificates, the
 * journal's snapshot, a simulated device's boot record.
 */
export class AtomicOutput {
  private position = 0;
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly tempPath: string,
    private readonly handle: FileHandle,
    private readonly durable: boolean,
  ) {}

  static async create(path: string, { mode = 0o644, hint = 'Choose an output path in an existing, writable directory (-o PATH).', durable = true }: AtomicOutputOptions = {}): Promise<AtomicOutput> {
    const tempPath = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      return new AtomicOutput(path, tempPath, await open(tempPath, 'wx', mode), durable);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new OtaError(`cannot write the output file: ${code === 'ENOENT' ? 'its directory does not exist' : code === 'EACCES' ? 'permission denied' : String(code ?? err)}`, {
        where: path,
        hint,
        code: 'output-unwritable',
        cause: err,
      });
    }
  }

  get size(): number {
    return this.position;
  }

  async write(chunk: Uint8Array): Promise<void> {
    let done = 0;
    while (done < chunk.length) {
      const { bytesWritten } = await this.handle.write(chunk, done, chunk.length - done, this.position);
      done += bytesWritten;
      this.position += bytesWritten;
    }
  }

  async commit(): Promise<void> {
    if (this.durable) await this.handle.sync();
    await this.close();
    // Not durable: no fsync at all, of the file or of its directory; the rename alone.
    if (this.durable) await moveDurably(this.tempPath, this.path);
    else await rename(this.tempPath, this.path);
  }

  /** Safe to call after a failed commit or more than once. */
  async abort(): Promise<void> {
    await this.close().catch(() => undefined);
    await rm(this.tempPath, { force: true });
  }

  private async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close();
  }
}

/** Runs `body` against a fresh AtomicOutput, committing on success and removing it on any error. */
export async function writeAtomically<T>(path: string, body: (out: AtomicOutput) => Promise<T>, options: AtomicOutputOptions = {}): Promise<T> {
  const out = await AtomicOutput.create(path, options);
  try {
    const result = await body(out);
    await out.commit();
    return result;
  } catch (err) {
    await out.abort();
    throw err;
  }
}

/** Replaces `path` with `data` whole: readers and a crash see the old content or the new, never part. */
export async function writeFileAtomically(path: string, data: string | Uint8Array, options: AtomicOutputOptions = {}): Promise<void> {
  await writeAtomically(path, (out) => out.write(typeof data === 'string' ? Buffer.from(data, 'utf8') : data), options);
}

/**
 * Renames a finished file or directory into place and fsyncs the directories involved: after a
 * rename returns, a power cut can still undo it until the directory entry is on disk.
 */
export async function moveDurably(from: string, to: string): Promise<void> {
  await rename(from, to);
  await syncDir(dirname(to));
  if (dirname(from) !== dirname(to)) await syncDir(dirname(from));
}

/** fsync of a directory; Windows cannot open one for that (and does not need it), so it is skipped there. */
export async function syncDir(dir: string): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(dir, 'r');
  } catch (err) {
    if (process.platform === 'win32') return;
    throw err;
  }
  try {
    await handle.sync();
  } catch (err) {
    // Some file systems (and Windows) refuse fsync on a directory; the rename is as durable as they make it.
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EPERM' && code !== 'EISDIR') throw err;
  } finally {
    await handle.close();
  }
}
