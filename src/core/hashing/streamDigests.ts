import { createHash, createHmac } from 'node:crypto';
import type { Hash, Hmac } from 'node:crypto';

export interface Digests {
  size: number;
  md5: string;
  sha256: string;
  /** HMAC-SHA256 of the bytes under the configured device secret, when there is one. */
  hmacSha256?: string;
}

/**
 * MD5 + SHA-256 (+ HMAC-SHA256) of one byte stream, fed once: every chunk goes to all of them
 * before the next chunk is read, so the bytes are read a single time whatever is asked for.
 */
export class StreamDigests {
  private readonly md5: Hash = createHash('md5');
  private readonly sha256: Hash = createHash('sha256');
  private readonly hmac: Hmac | undefined;
  private size = 0;

  constructor(hmacSecret?: Buffer) {
    this.hmac = hmacSecret ? createHmac('sha256', hmacSecret) : undefined;
  }

  update(chunk: Uint8Array): void {
    this.md5.update(chunk);
    this.sha256.update(chunk);
    this.hmac?.update(chunk);
    this.size += chunk.length;
  }

  /**
   * SHA-256 of the bytes so far, without ending the stream. The MCUboot signer takes the
   * SHA256 TLV from here after header + payload and keeps going for the whole-file SHA-256,
   * so the image is hashed once for both.
   */
  sha256SoFar(): Buffer {
    return this.sha256.copy().digest();
  }

  finish(): Digests {
    return {
      size: this.size,
      md5: this.md5.digest('hex'),
      sha256: this.sha256.digest('hex'),
      ...(this.hmac ? { hmacSha256: this.hmac.digest('hex') } : {}),
    };
  }
}
