import { constants, createSign, sign } from 'node:crypto';
import type { Sign } from 'node:crypto';
import type { SigningKey } from './loadKey';
import { mcubootPssSaltLength } from './mcubootVerify';

/**
 * Produces an MCUboot signature from the stream of signed bytes and their SHA-256.
 * Ed25519 signs the digest itself (imgtool 2.x does). RSA-PSS and ECDSA are signed by
 * `node:crypto` over the bytes: Node has no digest-only signing API, and a second SHA-256 pass
 * costs far less than keeping our own PSS encoding and raw RSA in the signing path.
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
    case 'rsa-3072': {
      // MCUboot checks RSASSA-PSS with SHA-256, MGF1-SHA-256 (Node's default for the MGF) and a 32-byte salt.
      const signer: Sign = createSign('sha256');
      return {
        update: (chunk) => void signer.update(chunk),
        sign: () => signer.sign({ key: key.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: mcubootPssSaltLength }),
      };
    }
    case 'ecdsa-p256': {
      const signer: Sign = createSign('sha256');
      return {
        update: (chunk) => void signer.update(chunk),
        sign: () => signer.sign({ key: key.privateKey, dsaEncoding: 'der' }),
      };
    }
  }
}
