import { createHash, createHmac } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { DdiArtifact, DdiChunk } from '../../core/protocol/ddi';
import { ddiManifestMetadata } from '../../core/protocol/ddi';
import { signedManifestFilename } from '../../core/protocol/devicePaths';
import type { ReleaseManifest } from '../../core/release/manifest';
import { verifyManifestSignature } from '../../core/release/signManifest';
import { loadVerifyingKey } from '../../core/signing/loadKey';

/** What the deployment promises about the artifact: hashes, and optionally an HMAC and a signed manifest. */
export interface ArtifactPromise {
  size: number;
  md5?: string;
  sha1?: string;
  sha256?: string;
  /** HMAC-SHA256 of the image with the device secret, hex (chunk metadata `hmac-sha256`). */
  hmacSha256?: string;
  /** The release's signed manifest, fetched from the artifact next to the image (`<file>.manifest.json`). */
  manifest?: ReleaseManifest;
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
  if (trust.publicKeyPem) {
    // A device that holds the release key installs only what that key signed.
    if (!promise.manifest) return fail('signature missing: the deployment carries no signed manifest, and this device installs only signed releases');
    const key = loadVerifyingKey({ label: 'the device key', pem: trust.publicKeyPem });
    const signature = verifyManifestSignature(promise.manifest, key);
    if (!signature.ok) return fail(`signature mismatch: ${signature.detail}`);
    if (promise.manifest.sha256 !== digests.sha256 || promise.manifest.size !== size) return fail('signature mismatch: the signed manifest names another image');
    checked.push('signature');
  }
  return { ok: true, checked };
}

/**
 * Where the release's signed manifest is: the chunk metadata our server writes, or (a hawkBit
 * where someone uploaded it as a file of the module) an artifact `<image>.manifest.json`.
 */
export function manifestUrl(chunk: DdiChunk, image: DdiArtifact): string | undefined {
  const listed = chunk.metadata?.find((m) => m.key === ddiManifestMetadata.url)?.value;
  if (listed) return listed;
  const artifact = chunk.artifacts.find((a) => a.filename === signedManifestFilename(image.filename));
  return artifact?._links['download-http']?.href ?? artifact?._links.download?.href;
}

/**
 * What a DDI chunk promises about its artifact: the hashes, plus an HMAC when the server puts one
 * in the chunk metadata (`hmac-sha256`), plus the signed manifest fetched by the caller.
 */
export function artifactPromise(chunk: DdiChunk, size: number, hashes: { md5: string; sha1: string; sha256: string }, manifest?: ReleaseManifest): ArtifactPromise {
  const meta = new Map((chunk.metadata ?? []).map((m) => [m.key, m.value]));
  const promise: ArtifactPromise = { size, md5: hashes.md5, sha1: hashes.sha1, sha256: hashes.sha256 };
  const hmac = meta.get('hmac-sha256');
  if (hmac) promise.hmacSha256 = hmac;
  if (manifest) promise.manifest = manifest;
  return promise;
}
