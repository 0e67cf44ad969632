import { createHash, createHmac } from 'node:crypto';
import type { Hash, Hmac } from 'node:crypto';
import type { Digests } from './streamDigests';
import { hashWorkerRunning, WorkerHash } from './hashWorker';

/**
 * Below this many bytes MD5 runs on this thread unless the worker is already up. Starting a worker
 * thread (a second V8 isolate) costs about what MD5 of 16 MiB does, and it only pays off when a
 * core is free: measured with `ota sign` on a busy 2-core machine, a 16 MiB image signed in 1.48 s
 * with MD5 here and 2.00 s with the worker (median of 11). Firmware images are mostly far below
 * this; big root file system images still get the second core.
 */
export const inlineMd5Below = 32 << 20;

/** What ParallelStreamDigests needs of its MD5: the worker's or this thread's. */
interface Md5 {
  update(chunk: Uint8Array): Promise<void>;
  digest(): Promise<string>;
  abandon(): void;
}

function inlineMd5(): Md5 {
  const hash = createHash('md5');
  return {
    update: async (chunk) => void hash.update(chunk),
    digest: async () => hash.digest('hex'),
    abandon: () => undefined,
  };
}

/**
 * StreamDigests for streams read from disk: the same one pass over the bytes, with MD5 moved to
 * a worker thread so it runs on the second core while SHA-256 and the HMAC run here (for a small
 * stream in a process without the worker, here too: see inlineMd5Below). SHA-256
 * stays on this thread because the MCUboot signer needs its intermediate value.
 */
export class ParallelStreamDigests {
  private readonly md5: Md5;
  private readonly sha256: Hash = createHash('sha256');
  private readonly hmac: Hmac | undefined;
  private size = 0;

  /**
   * `expectedSize`, from a process that hashes this one stream and exits: about how many bytes will
   * pass, so a small stream skips booting the worker. Left out, the worker is used.
   */
  constructor(hmacSecret?: Buffer, expectedSize = Number.POSITIVE_INFINITY) {
    this.hmac = hmacSecret ? createHmac('sha256', hmacSecret) : undefined;
    this.md5 = expectedSize >= inlineMd5Below || hashWorkerRunning() ? new WorkerHash('md5') : inlineMd5();
  }

  /** Resolves once the chunk has been handed to the worker, after which the caller may reuse it. */
  async update(chunk: Uint8Array): Promise<void> {
    const posted = this.md5.update(chunk);
    this.sha256.update(chunk);
    this.hmac?.update(chunk);
    this.size += chunk.length;
    await posted;
  }

  sha256SoFar(): Buffer {
    return this.sha256.copy().digest();
  }

  abandon(): void {
    this.md5.abandon();
  }

  async finish(): Promise<Digests> {
    return {
      size: this.size,
      md5: await this.md5.digest(),
      sha256: this.sha256.digest('hex'),
      ...(this.hmac ? { hmacSha256: this.hmac.digest('hex') } : {}),
    };
  }
}
