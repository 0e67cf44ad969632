import { createPublicKey, generateKeyPair } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { mcubootKeyHash } from './keyKind';
import type { KeyKind } from './keyKind';

export interface GeneratedKey {
  kind: KeyKind;
  /** PKCS#8 PEM, encrypted (AES-256-CBC, PBKDF2) when a passphrase was given. */
  privatePem: string;
  publicPem: string;
  keyId: string;
}

const generate = promisify(generateKeyPair);

/**
 * Node's own generators for every kind (no node-forge here: its Ed25519 path allocates with the
 * deprecated Buffer() and prints DEP0005 in the extension host and the CLI).
 */
async function generatePrivateKey(kind: KeyKind): Promise<KeyObject> {
  switch (kind) {
    case 'rsa-2048':
    case 'rsa-3072':
      return (await generate('rsa', { modulusLength: kind === 'rsa-2048' ? 2048 : 3072, publicExponent: 0x10001 })).privateKey;
    case 'ed25519':
      return (await generate('ed25519')).privateKey;
    case 'ecdsa-p256':
      return (await generate('ec', { namedCurve: 'prime256v1' })).privateKey;
  }
}

export async function generateSigningKey(kind: KeyKind, passphrase?: string): Promise<GeneratedKey> {
  const privateKey = await generatePrivateKey(kind);
  const publicKey = createPublicKey(privateKey);
  const privatePem = privateKey.export(
    passphrase ? { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase } : { type: 'pkcs8', format: 'pem' },
  ) as string;
  return { kind, privatePem, publicPem: publicKey.export({ type: 'spki', format: 'pem' }) as string, keyId: mcubootKeyHash(kind, publicKey) };
}
