import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash, createHmac } from 'node:crypto';
import { canonicalJson } from '../../../src/core/release/canonicalJson';
import { manifestSchema } from '../../../src/core/release/manifest';
import type { ReleaseManifest } from '../../../src/core/release/manifest';
import { signManifest, verifyManifestSignature } from '../../../src/core/release/signManifest';
import { loadSigningKey, loadVerifyingKey } from '../../../src/core/signing/loadKey';
import { verifyFirmware } from '../../../src/core/verify/verifyFirmware';
import { mcubootDir } from '../../helpers/fixtures';

function pem(name: string): string {
  return readFileSync(join(mcubootDir, name), 'utf8');
}

const image = readFileSync(join(mcubootDir, 'signed-ed25519-1.2.3+4.bin'));
const secret = Buffer.from('device secret');

function manifestFor(keyName: string): ReleaseManifest {
  return signManifest(
    {
      schema: manifestSchema,
      label: '1.2.3',
      embeddedVersion: '1.2.3+4',
      format: 'mcuboot',
      kind: 'release',
      pid: 'pid-1',
      firmwareKey: 'fw-key',
      channel: 'mcu',
      file: 'signed.bin',
      size: image.length,
      md5: createHash('md5').update(image).digest('hex'),
      sha256: createHash('sha256').update(image).digest('hex'),
      hmacSha256: createHmac('sha256', secret).update(image).digest('hex'),
      build: { gitCommit: 'abc', gitDirty: false, time: '2026-01-01T00:00:00.000Z', builder: 'ci@host', size: 40000 },
      createdAt: '2026-01-01T00:00:01.000Z',
    },
    loadSigningKey({ label: keyName, pem: pem(keyName) }),
  );
}

describe('release manifest', () => {
  it('serialises canonically: sorted keys at every level, no whitespace, undefined dropped', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [1, 'x', null], c: true }, u: undefined }), '{"a":{"c":true,"d":[1,"x",null]},"b":1}');
  });

  for (const keyName of ['root-ed25519.pem', 'root-rsa-2048.pem', 'root-rsa-3072.pem', 'root-ec-p256.pem']) {
    it(`is signed and verified with ${keyName}, and a changed field breaks the signature`, () => {
      const manifest = manifestFor(keyName);
      const key = loadVerifyingKey({ label: keyName, pem: pem(keyName) });
      assert.equal(manifest.keyId, key.keyId);
      assert.equal(verifyManifestSignature(manifest, key).ok, true);
      // Re-serialising with another key order still verifies: the signature is over canonical JSON.
      const reordered = JSON.parse(JSON.stringify(Object.fromEntries(Object.entries(manifest).reverse()))) as ReleaseManifest;
      assert.equal(verifyManifestSignature(reordered, key).ok, true);
      assert.equal(verifyManifestSignature({ ...manifest, label: '9.9.9' }, key).ok, false);
    });
  }

  it('lets verify check every manifest claim against the file, naming the one that is wrong', () => {
    const manifest = manifestFor('root-ed25519.pem');
    const key = loadVerifyingKey({ label: 'k', pem: pem('root-ed25519.pem') });
    const good = verifyFirmware({ bytes: image, file: 'signed.bin', key, manifest: { value: manifest, path: 'm.json' }, hmacSecret: secret });
    assert.equal(good.ok, true, JSON.stringify(good.checks));
    assert.deepEqual(
      good.checks.map((c) => c.name),
      ['structure', 'sha256', 'signature', 'manifest.size', 'manifest.md5', 'manifest.sha256', 'manifest.hmac', 'manifest.format', 'manifest.embeddedVersion', 'manifest.keyId', 'manifest.signature'],
    );
    const other = readFileSync(join(mcubootDir, 'signed-rsa2048-1.0.0.bin'));
    const bad = verifyFirmware({ bytes: other, file: 'other.bin', manifest: { value: manifest, path: 'm.json' } });
    const failed = bad.checks.filter((c) => c.status === 'failed').map((c) => c.name);
    assert.deepEqual(failed, ['manifest.size', 'manifest.md5', 'manifest.sha256', 'manifest.embeddedVersion', 'manifest.keyId']);
    assert.equal(bad.checks.find((c) => c.name === 'manifest.embeddedVersion')?.detail, 'manifest says embedded version 1.2.3+4, the file has 1.0.0+0');
  });
});
