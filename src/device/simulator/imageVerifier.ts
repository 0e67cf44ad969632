import { createHash, createHmac, createPublicKey, verify as verifySignature } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { DdiChunk } from '../../core/protocol/ddi';

/** What the deployment promises about the artifact: hashes, and optionally an HMAC and a signed manifest. */
export interface ArtifactPromise {
  size: number;
  md5?: string;
  sha1?: string;
  sha256?: string;
  /** HMAC-SHA256 of the image with the device secret, hex (chunk metadata `hmac-sha256`). */
  hmacSha256?: string;
  /** A manifest text and its signature, base64 (chunk metadata `manifest`, `manifest-signature`). */
  manifest?: string;
  manifestSignature?: string;
}

export interface DeviceTrust {
  /** The per-device secret for the HMAC (the seed: "integrity by HMAC or MD5"). */
  secret?: string;
  /** The release signer's public key, PEM. */
  publicKeyPem?: string;
}

export type VerifyResult = { ok: true; checked: string[] } | { ok: false; checked: string[]; failure: string };

/**
 * Checks the bytes written to the slot, the way esp_ota_end / flash_img_check read back flash:
 * never trusting what was counted on the way in. Streams the file, so a fleet stays small.
 */
export async function verifyImageFile(file: string, promise: ArtifactPromise, trust: DeviceTrust): Promise<VerifyResult> {
  const md5 = createHash('md5');
  const sha1 = createHash('sha1');
  const sha256 = createHash('sha256');
  const hmac = trust.secret && promise.hmacSha256 ? createHmac('sha256', trust.secret) : undefined;
  let size = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 64 * 1024 }) as AsyncIterable<Buffer>) {
    size += chunk.length;
    md5.update(chunk);
    sha1.update(chunk);
    sha256.update(chunk);
    hmac?.update(chunk);
  }
  const checked: string[] = [];
  const fail = (failure: string): VerifyResult => ({ ok: false, checked, failure });
  if (size !== promise.size) return fail(`size mismatch: expected ${promise.size} bytes, have ${size}`);
  const digests = { sha256: sha256.digest('hex'), md5: md5.digest('hex'), sha1: sha1.digest('hex') };
  for (const name of ['sha256', 'md5', 'sha1'] as const) {
    const expected = promise[name]?.toLowerCase();
    if (!expected) continue;
    if (expected !== digests[name]) return fail(`${name} mismatch: expected ${expected}, computed ${digests[name]}`);
    checked.push(name);
  }
  if (hmac) {
    const computed = hmac.digest('hex');
    if (computed !== promise.hmacSha256!.toLowerCase()) return fail('hmac mismatch: the image was not made for this device secret (or was altered)');
    checked.push('hmac');
  }
  if (trust.publicKeyPem && promise.manifest && promise.manifestSignature) {
    const key = createPublicKey(trust.publicKeyPem);
    const ed = key.asymmetricKeyType === 'ed25519' || key.asymmetricKeyType === 'ed448';
    const good = verifySignature(ed ? null : 'sha256', Buffer.from(promise.manifest), key, Buffer.from(promise.manifestSignature, 'base64'));
    if (!good) return fail('signature mismatch: the manifest signature does not verify with the device key');
    const manifestSha = /"sha256"\s*:\s*"([0-9a-f]{64})"/i.exec(promise.manifest)?.[1]?.toLowerCase();
    if (manifestSha !== digests.sha256) return fail('signature mismatch: the signed manifest names another image');
    checked.push('signature');
  }
  return { ok: true, checked };
}

/**
 * What a DDI chunk promises about its artifact: the hashes, plus an HMAC and a signed manifest when
 * the server puts them in the chunk metadata (`hmac-sha256`, `manifest`, `manifest-signature`).
 */
export function artifactPromise(chunk: DdiChunk, size: number, hashes: { md5: string; sha1: string; sha256: string }): ArtifactPromise {
  const meta = new Map((chunk.metadata ?? []).map((m) => [m.key, m.value]));
  const promise: ArtifactPromise = { size, md5: hashes.md5, sha1: hashes.sha1, sha256: hashes.sha256 };
  const hmac = meta.get('hmac-sha256');
  if (hmac) promise.hmacSha256 = hmac;
  const manifest = meta.get('manifest');
  const signature = meta.get('manifest-signature');
  if (manifest && signature) {
    promise.manifest = manifest;
    promise.manifestSignature = signature;
  }
  return promise;
}
