import { createHash, createHmac } from 'node:crypto';
import type { Hash, Hmac } from 'node:crypto';
import type { Digests } from './streamDigests';
import { WorkerHash } from './hashWorker';

/**
 * StreamDigests for streams read from disk: the same one pass over the bytes, with MD5 moved to
 * a worker thread so it runs on the second core while SHA-256 and the HMAC run here. SHA-256
 * stays on this thread because the MCUboot signer needs its intermediate value.
 */
export class ParallelStreamDigests {
  private readonly md5 = new WorkerHash('md5');
  private readonly sha256: Hash = createHash('sha256');
  private readonly hmac: Hmac | undefined;
  private size = 0;

  constructor(hmacSecret?: Buffer) {
    this.hmac = hmacSecret ? createHmac('sha256', hmacSecret) : undefined;
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
