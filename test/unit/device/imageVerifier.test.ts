import * as assert from 'node:assert/strict';
import { createHash, createHmac, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readEmbeddedVersion } from '../../../src/device/simulator/embeddedVersion';
import { verifyImageFile } from '../../../src/device/simulator/imageVerifier';
import type { ArtifactPromise } from '../../../src/device/simulator/imageVerifier';
import { buildSyntheticEspImage, buildSyntheticMcubootImage } from '../../../src/device/simulator/syntheticImage';
import { inspectImage } from '../../../src/core/image/inspectImage';
import { manifestSchema } from '../../../src/core/release/manifest';
import { signManifest } from '../../../src/core/release/signManifest';
import { loadSigningKey } from '../../../src/core/signing/loadKey';
import { fixturePath } from '../../helpers/fixtures';

describe('simulator image checks', () => {
  let dir: string;
  let file: string;
  const image = buildSyntheticEspImage({ version: '2.3.4', size: 20_000, secureVersion: 3 });
  const digest = (alg: string) => createHash(alg).update(image).digest('hex');
  const base: ArtifactPromise = { size: image.length, md5: digest('md5'), sha1: digest('sha1'), sha256: digest('sha256') };

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ota-verify-'));
    file = path.join(dir, 'slot1.bin');
    await fs.writeFile(file, image);
  });

  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('builds images the project image readers accept, and reads their embedded version', () => {
    const esp = inspectImage(image, 'esp');
    assert.equal(esp.format, 'esp-idf');
    if (esp.format === 'esp-idf') assert.deepEqual([esp.checksum.ok, esp.sha256?.ok, esp.appDescription?.version], [true, true, '2.3.4']);
    const head = readEmbeddedVersion(image.subarray(0, 512));
    assert.deepEqual(head.format === 'esp-idf' && [head.version, head.secureVersion], ['2.3.4', 3]);
    const mcu = buildSyntheticMcubootImage({ version: '1.2.3+4' });
    const parsed = inspectImage(mcu, 'mcu');
    assert.deepEqual(parsed.format === 'mcuboot' && [parsed.versionText, parsed.sha256?.ok], ['1.2.3+4', true]);
    assert.equal(readEmbeddedVersion(mcu.subarray(0, 512)).version, '1.2.3+4');
  });

  it('accepts matching MD5, SHA-1 and SHA-256, and names the first mismatch', async () => {
    assert.deepEqual(await verifyImageFile(file, base, {}), { ok: true, checked: ['sha256', 'md5', 'sha1'] });
    const bad = await verifyImageFile(file, { ...base, md5: '0'.repeat(32) }, {});
    assert.deepEqual(bad, { ok: false, checked: ['sha256'], failure: `md5 mismatch: expected ${'0'.repeat(32)}, computed ${digest('md5')}` });
    assert.match((await verifyImageFile(file, { ...base, size: 1 }, {})).ok ? '' : 'size', /size/);
  });

  it('checks the HMAC when the device has the secret', async () => {
    const hmacSha256 = createHmac('sha256', 'device-secret').update(image).digest('hex');
    assert.deepEqual(await verifyImageFile(file, { ...base, hmacSha256 }, { secret: 'device-secret' }), { ok: true, checked: ['sha256', 'md5', 'sha1', 'hmac'] });
    const wrong = await verifyImageFile(file, { ...base, hmacSha256 }, { secret: 'another-secret' });
    assert.equal(wrong.ok ? '' : wrong.failure, 'hmac mismatch: the image was not made for this device secret (or was altered)');
  });

  it('checks the release manifest signature (Ed25519, ECDSA P-256, RSA-PSS) and that it names this image', async () => {
    for (const name of ['root-ed25519.pem', 'root-ec-p256.pem', 'root-rsa-2048.pem']) {
      const privatePem = readFileSync(path.join(fixturePath(), 'mcuboot', name), 'utf8');
      const key = loadSigningKey({ label: name, pem: privatePem });
      const publicKeyPem = createPublicKey(privatePem).export({ type: 'spki', format: 'pem' }).toString();
      const fields = { schema: manifestSchema, label: '2.3.4', embeddedVersion: '2.3.4', format: 'esp-idf', kind: 'release', pid: 'P1', firmwareKey: 'K1', channel: 'main', file: 'fw.bin', size: image.length, md5: digest('md5'), sha256: digest('sha256'), createdAt: '2026-11-27T12:00:00Z' } as const;
      const manifest = signManifest(fields, key);
      const good = await verifyImageFile(file, { ...base, manifest }, { publicKeyPem });
      assert.deepEqual(good, { ok: true, checked: ['sha256', 'md5', 'sha1', 'signature'] }, name);
      const tampered = await verifyImageFile(file, { ...base, manifest: { ...manifest, label: '9.9.9' } }, { publicKeyPem });
      assert.match(tampered.ok ? '' : tampered.failure, /^signature mismatch: /, name);
      // Correctly signed, but for other bytes: the signature alone must not be enough.
      const otherImage = signManifest({ ...fields, sha256: 'f'.repeat(64) }, key);
      const other = await verifyImageFile(file, { ...base, manifest: otherImage }, { publicKeyPem });
      assert.equal(other.ok ? '' : other.failure, 'signature mismatch: the signed manifest names another image', name);
      const unsigned = await verifyImageFile(file, base, { publicKeyPem });
      assert.match(unsigned.ok ? '' : unsigned.failure, /^signature missing: /, name);
    }
  });
});
