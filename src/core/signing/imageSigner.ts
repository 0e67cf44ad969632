import { createSign, sign } from 'node:crypto';
import type { Sign } from 'node:crypto';
import type { SigningKey } from './loadKey';
import { mcubootPssSaltLength } from './mcubootVerify';
import { rsaPssSignDigest } from './rsaPssDigest';

/**
 * Produces an MCUboot signature from the stream of signed bytes and their SHA-256.
 * RSA and Ed25519 only need the digest (one hashing pass for everything). ECDSA has no
 * digest-only API in Node, so its signer sees the bytes too.
 */
export interface ImageSigner {
  update(chunk: Uint8Array): void;
  sign(sha256: Buffer): Buffer;
}

export function createImageSigner(key: SigningKey): ImageSigner {
  switch (key.kind) {
    case 'ed25519':
      // imgtool 2.x signs the 32-byte digest with Ed25519, not the image (see the reference).
      return { update: () => undefined, sign: (digest) => sign(null, digest, key.privateKey) };
    case 'rsa-2048':
    case 'rsa-3072':
      return { update: () => undefined, sign: (digest) => rsaPssSignDigest(key.privateKey, digest, mcubootPssSaltLength) };
    case 'ecdsa-p256': {
      const signer: Sign = createSign('sha256');
      return {
        update: (chunk) => void signer.update(chunk),
        sign: () => signer.sign({ key: key.privateKey, dsaEncoding: 'der' }),
      };
    }
  }
}
