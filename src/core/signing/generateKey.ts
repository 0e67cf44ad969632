import { createPrivateKey, createPublicKey, generateKeyPair } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import * as forge from 'node-forge';
import { mcubootKeyHash } from './keyKind';
import type { KeyKind } from './keyKind';

export interface GeneratedKey {
  kind: KeyKind;
  /** PKCS#8 PEM, encrypted (AES-256-CBC, PBKDF2) when a passphrase was given. */
  privatePem: string;
  publicPem: string;
  keyId: string;
}

/** PKCS#8 wrapping of a raw Ed25519 seed (RFC 8410): fixed DER prefix + the 32-byte seed. */
const ed25519Pkcs8Prefix = Buffer.from('302e020100300506032b657004220420', 'hex');

function forgeRsa(bits: number): Promise<forge.pki.rsa.KeyPair> {
  // node-forge hands this to Node's native generator when it can, so a 3072-bit key takes
  // well under a second instead of minutes of pure-JS prime search.
  return new Promise((resolve, reject) =>
    forge.pki.rsa.generateKeyPair({ bits, e: 0x10001 }, (err, pair) => (err ? reject(err) : resolve(pair))),
  );
}

async function generatePrivateKey(kind: KeyKind): Promise<KeyObject> {
  switch (kind) {
    case 'rsa-2048':
    case 'rsa-3072': {
      const pair = await forgeRsa(kind === 'rsa-2048' ? 2048 : 3072);
      return createPrivateKey(forge.pki.privateKeyToPem(pair.privateKey));
    }
    case 'ed25519': {
      const { privateKey } = forge.pki.ed25519.generateKeyPair();
      // forge's private key is seed || public key; PKCS#8 stores the seed.
      const seed = Buffer.from(privateKey).subarray(0, 32);
      return createPrivateKey({ key: Buffer.concat([ed25519Pkcs8Prefix, seed]), format: 'der', type: 'pkcs8' });
    }
    case 'ecdsa-p256': {
      const { privateKey } = await promisify(generateKeyPair)('ec', { namedCurve: 'prime256v1' });
      return privateKey;
    }
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
