import { createHash } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { TlvType } from '../image/mcubootLayout';

/** The key types MCUboot verifies, each with the TLV its signature goes into. */
export type KeyKind = 'rsa-2048' | 'rsa-3072' | 'ecdsa-p256' | 'ed25519';

export const keyKinds: readonly KeyKind[] = ['rsa-2048', 'rsa-3072', 'ecdsa-p256', 'ed25519'];

export const signatureTlvForKind: Readonly<Record<KeyKind, number>> = {
  'rsa-2048': TlvType.rsa2048,
  'rsa-3072': TlvType.rsa3072,
  'ecdsa-p256': TlvType.ecdsaSig,
  ed25519: TlvType.ed25519,
};

export function kindForSignatureTlv(type: number): KeyKind | undefined {
  return keyKinds.find((kind) => signatureTlvForKind[kind] === type);
}

/** Undefined when MCUboot has no signature type for this key (RSA-4096, P-384, DSA, …). */
export function keyKindOf(key: KeyObject): KeyKind | undefined {
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'rsa':
      if (details.modulusLength === 2048) return 'rsa-2048';
      if (details.modulusLength === 3072) return 'rsa-3072';
      return undefined;
    case 'ec':
      return details.namedCurve === 'prime256v1' ? 'ecdsa-p256' : undefined;
    case 'ed25519':
      return 'ed25519';
    default:
      return undefined;
  }
}

export function describeKeyObject(key: KeyObject): string {
  const details = key.asymmetricKeyDetails ?? {};
  const size = details.modulusLength ? `-${details.modulusLength}` : details.namedCurve ? ` ${details.namedCurve}` : '';
  return `${key.asymmetricKeyType ?? key.type}${size}`;
}

/**
 * The public key bytes imgtool hashes into the KEYHASH TLV (and the bootloader compares against
 * its built-in keys): PKCS#1 RSAPublicKey for RSA, SubjectPublicKeyInfo for ECDSA and Ed25519.
 */
export function mcubootPublicKeyBytes(kind: KeyKind, publicKey: KeyObject): Buffer {
  return kind.startsWith('rsa')
    ? publicKey.export({ type: 'pkcs1', format: 'der' })
    : publicKey.export({ type: 'spki', format: 'der' });
}

/** The key ID shown wherever a key is named: the MCUboot key hash, hex. */
export function mcubootKeyHash(kind: KeyKind, publicKey: KeyObject): string {
  return createHash('sha256').update(mcubootPublicKeyBytes(kind, publicKey)).digest('hex');
}
