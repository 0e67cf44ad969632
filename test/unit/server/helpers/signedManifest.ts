import { createHash } from 'node:crypto';
import type { ReleaseManifest } from '../../../../src/core/release/manifest';
import { manifestSchema } from '../../../../src/core/release/manifest';
import { signManifest } from '../../../../src/core/release/signManifest';
import { generateSigningKey } from '../../../../src/core/signing/generateKey';
import { loadSigningKey } from '../../../../src/core/signing/loadKey';

/** A release manifest for `image`, signed with a fresh Ed25519 key, as base64 for an upload. */
export async function signedManifestBase64(image: Buffer, file: string): Promise<string> {
  const generated = await generateSigningKey('ed25519');
  const key = loadSigningKey({ label: 'test key', pem: generated.privatePem });
  const manifest = signManifest(
    {
      schema: manifestSchema,
      label: '1.0.1',
      embeddedVersion: '1.0.1',
      format: 'mcuboot',
      kind: 'release',
      pid: 'P',
      firmwareKey: 'K',
      channel: 'main',
      file,
      size: image.length,
      md5: createHash('md5').update(image).digest('hex'),
      sha256: createHash('sha256').update(image).digest('hex'),
      createdAt: '2026-12-01T12:00:00.000Z',
    } as Omit<ReleaseManifest, 'keyId' | 'signature'>,
    key,
  );
  return Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`).toString('base64');
}
