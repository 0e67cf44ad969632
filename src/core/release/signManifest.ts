import { constants, sign, verify } from 'node:crypto';
import type { KeyKind } from '../signing/keyKind';
import type { SigningKey, VerifyingKey } from '../signing/loadKey';
import { canonicalJson } from './canonicalJson';
import type { ManifestSignature, ReleaseManifest } from './manifest';

const algorithms: Readonly<Record<KeyKind, ManifestSignature['algorithm']>> = {
  ed25519: 'ed25519',
  'rsa-2048': 'rsa-pss-sha256',
  'rsa-3072': 'rsa-pss-sha256',
  'ecdsa-p256': 'ecdsa-p256-sha256',
};

export function manifestSigningBytes(manifest: ReleaseManifest): Buffer {
  const { signature: _signature, ...signed } = manifest;
  return Buffer.from(canonicalJson(signed), 'utf8');
}

export function signManifest(manifest: Omit<ReleaseManifest, 'keyId' | 'signature'>, key: SigningKey): ReleaseManifest {
  const unsigned: ReleaseManifest = { ...manifest, keyId: key.keyId };
  const bytes = manifestSigningBytes(unsigned);
  const value =
    key.kind === 'ed25519'
      ? sign(null, bytes, key.privateKey)
      : key.kind === 'ecdsa-p256'
        ? sign('sha256', bytes, { key: key.privateKey, dsaEncoding: 'der' })
        : sign('sha256', bytes, { key: key.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
  return { ...unsigned, signature: { algorithm: algorithms[key.kind], value: value.toString('base64') } };
}

export function verifyManifestSignature(manifest: ReleaseManifest, key: VerifyingKey): { ok: boolean; detail: string } {
  if (!manifest.signature) return { ok: false, detail: 'the manifest is not signed' };
  if (manifest.keyId !== key.keyId) return { ok: false, detail: `the manifest was signed by key ${manifest.keyId}, but ${key.label} is key ${key.keyId}` };
  if (manifest.signature.algorithm !== algorithms[key.kind]) {
    return { ok: false, detail: `the manifest signature is ${manifest.signature.algorithm}, but ${key.label} is ${key.kind}` };
  }
  const bytes = manifestSigningBytes(manifest);
  const signature = Buffer.from(manifest.signature.value, 'base64');
  let ok: boolean;
  try {
    ok =
      key.kind === 'ed25519'
        ? verify(null, bytes, key.publicKey, signature)
        : key.kind === 'ecdsa-p256'
          ? verify('sha256', bytes, { key: key.publicKey, dsaEncoding: 'der' }, signature)
          : verify('sha256', bytes, { key: key.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, signature);
  } catch {
    ok = false;
  }
  return ok
    ? { ok: true, detail: `manifest signature verifies with key ${key.keyId} (${key.label})` }
    : { ok: false, detail: `manifest signature does not verify with key ${key.keyId}: a signed field was changed after signing` };
}
