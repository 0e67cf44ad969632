import { constants, createHash, privateEncrypt, randomBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

const hashLength = 32;

/** MGF1 with SHA-256 (RFC 8017 B.2.1). */
function mgf1(seed: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  const counter = Buffer.alloc(4);
  for (let done = 0, i = 0; done < length; i++) {
    counter.writeUInt32BE(i, 0);
    const block = createHash('sha256').update(seed).update(counter).digest();
    done += block.copy(out, done);
  }
  return out;
}

/**
 * EMSA-PSS-ENCODE (RFC 8017 9.1.1) for a SHA-256 digest that is already computed.
 *
 * Why by hand: Node's `crypto.sign` always hashes the message itself, which would mean a second
 * SHA-256 pass over a multi-megabyte image that the signer has just hashed for the SHA256 TLV.
 * Encoding the digest here and applying the raw RSA private operation gives the same standard
 * PSS signature (MGF1-SHA-256, 32-byte salt, as MCUboot checks) from one pass.
 */
export function emsaPssEncode(digest: Buffer, modulusBits: number, salt: Buffer): Buffer {
  const emBits = modulusBits - 1;
  const emLength = Math.ceil(emBits / 8);
  if (digest.length !== hashLength || emLength < hashLength + salt.length + 2) throw new Error('PSS encoding error');
  const mPrime = Buffer.concat([Buffer.alloc(8), digest, salt]);
  const h = createHash('sha256').update(mPrime).digest();
  const db = Buffer.alloc(emLength - hashLength - 1);
  db[db.length - salt.length - 1] = 0x01;
  salt.copy(db, db.length - salt.length);
  const mask = mgf1(h, db.length);
  for (let i = 0; i < db.length; i++) db[i]! ^= mask[i]!;
  db[0]! &= 0xff >> (8 * emLength - emBits);
  return Buffer.concat([db, h, Buffer.from([0xbc])]);
}

/** RSASSA-PSS signature of a SHA-256 digest with a 32-byte random salt. */
export function rsaPssSignDigest(privateKey: KeyObject, digest: Buffer, saltLength = 32): Buffer {
  const modulusBits = privateKey.asymmetricKeyDetails?.modulusLength;
  if (!modulusBits) throw new Error('not an RSA key');
  const encoded = emsaPssEncode(digest, modulusBits, randomBytes(saltLength));
  // The encoded message is one byte shorter than the modulus when modulusBits - 1 is a multiple of 8.
  const block = Buffer.alloc(Math.ceil(modulusBits / 8) - encoded.length);
  return privateEncrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, Buffer.concat([block, encoded]));
}
