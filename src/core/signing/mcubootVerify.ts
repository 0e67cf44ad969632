import { constants, createHash, verify } from 'node:crypto';
import { byteLocation } from '../image/imageError';
import { tlvValue } from '../image/mcubootImage';
import type { McubootImage } from '../image/mcubootImage';
import { signatureTlvTypes, TlvType } from '../image/mcubootLayout';
import { kindForSignatureTlv, signatureTlvForKind } from './keyKind';
import type { KeyKind } from './keyKind';
import type { VerifyingKey } from './loadKey';

export interface SignatureCheck {
  ok: boolean;
  detail: string;
  /** File offset of the TLV that decided the outcome, when there is one. */
  where?: string;
}

/** RSA signatures in MCUboot are PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt. */
export const mcubootPssSaltLength = 32;

/**
 * Checks an MCUboot image's signature against a key the way the bootloader does: the key hash
 * must name this key, and the signature TLV must verify over header + payload + protected TLVs
 * (Ed25519: over their SHA-256, as imgtool 2.x signs the digest).
 */
export function verifyMcubootSignature(bytes: Buffer, image: McubootImage, key: VerifyingKey, file: string): SignatureCheck {
  const sigTlvs = image.tlvs.filter((t) => signatureTlvTypes.includes(t.type));
  if (sigTlvs.length === 0) {
    return { ok: false, detail: 'the image has no signature TLV (it is unsigned)', where: byteLocation(file, image.tlvAreaOffset) };
  }
  const wanted = signatureTlvForKind[key.kind];
  const sigTlv = sigTlvs.find((t) => t.type === wanted);
  if (!sigTlv) {
    const found = sigTlvs.map((t) => `${t.name} (${kindForSignatureTlv(t.type) ?? 'unknown'})`).join(', ');
    return { ok: false, detail: `the image is signed with ${found}, but the key ${key.label} is ${key.kind}`, where: byteLocation(file, sigTlvs[0]!.offset) };
  }
  const keyHashTlv = image.tlvs.find((t) => t.type === TlvType.keyHash);
  if (keyHashTlv) {
    const imageKeyId = tlvValue(bytes, keyHashTlv).toString('hex');
    if (imageKeyId !== key.keyId) {
      return {
        ok: false,
        detail: `the image names key ${imageKeyId} in its KEYHASH TLV, but ${key.label} is key ${key.keyId}`,
        where: byteLocation(file, keyHashTlv.offset),
      };
    }
  }
  const signature = tlvValue(bytes, sigTlv);
  const signed = bytes.subarray(0, image.hashedLength);
  const ok = checkSignature(key.kind, key, signed, signature);
  return ok
    ? { ok: true, detail: `${sigTlv.name} signature verifies with key ${key.keyId} (${key.label})` }
    : { ok: false, detail: `${sigTlv.name} signature does not verify with key ${key.keyId} (${key.label}): the image was changed after signing, or signed by another key`, where: byteLocation(file, sigTlv.offset) };
}

function checkSignature(kind: KeyKind, key: VerifyingKey, signed: Buffer, signature: Buffer): boolean {
  try {
    switch (kind) {
      case 'rsa-2048':
      case 'rsa-3072':
        return verify('sha256', signed, { key: key.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: mcubootPssSaltLength }, signature);
      case 'ecdsa-p256':
        return verify('sha256', signed, { key: key.publicKey, dsaEncoding: 'der' }, signature);
      case 'ed25519':
        return verify(null, createHash('sha256').update(signed).digest(), key.publicKey, signature);
    }
  } catch {
    // A malformed signature (wrong length, bad DER) is a failed verification, not a crash.
    return false;
  }
}
