import { createPrivateKey, createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { OtaError } from '../errors';
import { describeKeyObject, keyKindOf, mcubootKeyHash } from './keyKind';
import type { KeyKind } from './keyKind';
import type { KeySource } from './keySource';

export interface SigningKey {
  kind: KeyKind;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** MCUboot key hash (hex): the key's ID everywhere it is named. */
  keyId: string;
  label: string;
}

export interface VerifyingKey {
  kind: KeyKind;
  publicKey: KeyObject;
  keyId: string;
  label: string;
}

const supported = 'MCUboot signs with RSA-2048, RSA-3072, ECDSA P-256 or Ed25519 keys; make one with `ota key generate`.';

export function isEncryptedPem(pem: string): boolean {
  return pem.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----') || /Proc-Type:\s*4,ENCRYPTED/.test(pem);
}

/** Loads a private key for signing; an encrypted PEM needs its passphrase. */
export function loadSigningKey(source: KeySource, passphrase?: string): SigningKey {
  if (/-----BEGIN (RSA )?PUBLIC KEY-----/.test(source.pem)) {
    throw new OtaError('this is a public key; signing needs the private key', { where: source.label, hint: supported, code: 'key-wrong-type' });
  }
  const encrypted = isEncryptedPem(source.pem);
  if (encrypted && passphrase === undefined) {
    throw new OtaError('the key is encrypted and no passphrase was given', {
      where: source.label,
      hint: 'Put the passphrase in an environment variable and pass --passphrase-env NAME (default OTA_KEY_PASSPHRASE).',
      code: 'key-passphrase-missing',
    });
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(encrypted ? { key: source.pem, format: 'pem', passphrase: passphrase ?? '' } : { key: source.pem, format: 'pem' });
  } catch (err) {
    throw encrypted
      ? new OtaError('wrong passphrase for the encrypted key (or the key is damaged)', {
          where: source.label,
          hint: 'Check the passphrase in the environment variable named by --passphrase-env.',
          code: 'key-passphrase-wrong',
          cause: err,
        })
      : new OtaError('not a PEM private key', { where: source.label, hint: supported, code: 'key-invalid', cause: err });
  }
  const kind = requireKind(privateKey, source.label);
  const publicKey = createPublicKey(privateKey);
  return { kind, privateKey, publicKey, keyId: mcubootKeyHash(kind, publicKey), label: source.label };
}

/** Loads a key for verification: a public key, or a private key whose public half is used. */
export function loadVerifyingKey(source: KeySource, passphrase?: string): VerifyingKey {
  if (/-----BEGIN (RSA )?PUBLIC KEY-----/.test(source.pem)) {
    let publicKey: KeyObject;
    try {
      publicKey = createPublicKey({ key: source.pem, format: 'pem' });
    } catch (err) {
      throw new OtaError('not a readable PEM public key', { where: source.label, hint: supported, code: 'key-invalid', cause: err });
    }
    const kind = requireKind(publicKey, source.label);
    return { kind, publicKey, keyId: mcubootKeyHash(kind, publicKey), label: source.label };
  }
  const { kind, publicKey, keyId, label } = loadSigningKey(source, passphrase);
  return { kind, publicKey, keyId, label };
}

function requireKind(key: KeyObject, label: string): KeyKind {
  const kind = keyKindOf(key);
  if (!kind) {
    throw new OtaError(`unsupported key type ${describeKeyObject(key)}`, { where: label, hint: supported, code: 'key-wrong-type' });
  }
  return kind;
}
