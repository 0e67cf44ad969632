import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { OtaError } from '../errors';

export interface AtomicOutputOptions {
  mode?: number;
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
 * which is fsynced and renamed over it on `commit`; `abort` removes it. A failed or cancelled
 * signing run therefore never leaves a half-written image where a device could be offered it.
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

  static async create(path: string, { mode = 0o644, durable = true }: AtomicOutputOptions = {}): Promise<AtomicOutput> {
    const tempPath = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      return new AtomicOutput(path, tempPath, await open(tempPath, 'wx', mode), durable);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new OtaError(`cannot write the output file: ${code === 'ENOENT' ? 'its directory does not exist' : code === 'EACCES' ? 'permission denied' : String(code ?? err)}`, {
        where: path,
        hint: 'Choose an output path in an existing, writable directory (-o PATH).',
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
    await rename(this.tempPath, this.path);
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
