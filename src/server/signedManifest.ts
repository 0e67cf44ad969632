import { createHash } from 'node:crypto';
import { OtaError } from '../core/errors';
import type { ReleaseManifest as SignedReleaseManifest } from '../core/release/manifest';
import { manifestSchema } from '../core/release/manifest';
import type { ReleaseManifestFile } from '../core/protocol/management';
import { signedManifestFilename } from '../core/protocol/devicePaths';

/** Manifests are a few hundred bytes; anything this large is not one. */
const maxManifestBytes = 64 * 1024;

/**
 * The signed manifest an upload declares (base64 of the file's bytes). Checked for being a signed
 * `ota-workbench/release-manifest@1` so a wrong file is refused at the start, not found by a
 * device; the signature itself is the device's to verify (the server holds no public keys).
 */
export function decodeSignedManifest(base64: unknown): { bytes: Buffer; manifest: SignedReleaseManifest } {
  if (typeof base64 !== 'string' || base64.length === 0 || base64.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) {
    throw bad('manifest field "signedManifest" must be the manifest file\'s bytes in base64');
  }
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length > maxManifestBytes) throw bad(`manifest field "signedManifest" is ${bytes.length} bytes; a release manifest is at most ${maxManifestBytes}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw bad(`manifest field "signedManifest" is not JSON: ${(err as Error).message}`);
  }
  const m = parsed as Partial<SignedReleaseManifest> | null;
  if (typeof m !== 'object' || m === null || Array.isArray(m) || m.schema !== manifestSchema) {
    throw bad(`manifest field "signedManifest" is not a release manifest (schema ${manifestSchema})`);
  }
  if (typeof m.signature !== 'object' || m.signature === null || typeof m.signature.value !== 'string') {
    throw bad('manifest field "signedManifest" is not signed', 'create the release with a signing key (ota release create) and upload the manifest it writes');
  }
  if (typeof m.sha256 !== 'string' || typeof m.size !== 'number') throw bad('manifest field "signedManifest" lacks the image\'s sha256 or size');
  return { bytes, manifest: m as SignedReleaseManifest };
}

/** What devices see of the manifest of an image called `imageFilename`. */
export function manifestFileInfo(imageFilename: string, bytes: Buffer): ReleaseManifestFile {
  const hash = (algorithm: string) => createHash(algorithm).update(bytes).digest('hex');
  return { filename: signedManifestFilename(imageFilename), size: bytes.length, sha256: hash('sha256'), md5: hash('md5'), sha1: hash('sha1') };
}

function bad(message: string, hint?: string): OtaError {
  return new OtaError(message, { code: 'bad-request', ...(hint ? { hint } : {}) });
}
