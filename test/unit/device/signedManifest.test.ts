import * as assert from 'node:assert/strict';
import { createHash, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { manifestSchema } from '../../../src/core/release/manifest';
import { signManifest } from '../../../src/core/release/signManifest';
import { canonicalJson } from '../../../src/core/release/canonicalJson';
import { loadSigningKey } from '../../../src/core/signing/loadKey';
import { buildSyntheticEspImage } from '../../../src/device/simulator/syntheticImage';
import { ManagementClient } from '../../../src/providers/ota/managementClient';
import { token } from '../server/helpers/server';
import { fixturePath } from '../../helpers/fixtures';
import type { SimHarness } from './helpers/simHarness';
import { simHarnessEachTest } from './helpers/simHarness';

const hex = (alg: string, data: Buffer) => createHash(alg).update(data).digest('hex');

describe('simulated device with the release key: signed manifests from the server', function () {
  this.timeout(30_000);
  let h: SimHarness;
  simHarnessEachTest(5000, (started) => (h = started));

  it('installs a release whose signed manifest the server lists next to the image, and refuses one without', async () => {
    const privatePem = readFileSync(path.join(fixturePath(), 'mcuboot', 'root-ed25519.pem'), 'utf8');
    const key = loadSigningKey({ label: 'root-ed25519.pem', pem: privatePem });
    const publicKeyPem = createPublicKey(privatePem).export({ type: 'spki', format: 'pem' }).toString();
    const factoryImage = buildSyntheticEspImage({ version: '1.0.0', size: 24 * 1024 });
    const { device } = h.device({ id: 'signed-dev', factoryImage, publicKeyPem });
    await h.online('signed-dev');

    const image = buildSyntheticEspImage({ version: '1.1.0', size: 24 * 1024 });
    const file = path.join(h.dir, 'fw.bin');
    await writeFile(file, image);
    const manifest = signManifest(
      { schema: manifestSchema, label: '1.1.0', embeddedVersion: '1.1.0', format: 'esp-idf', kind: 'release', pid: 'P1', firmwareKey: 'K1', channel: 'main', file: 'fw.bin', size: image.length, md5: hex('md5', image), sha256: hex('sha256', image), createdAt: new Date().toISOString() },
      key,
    );
    const client = new ManagementClient(h.server.url, token);
    const signed = await client.pushFile(file, { pid: 'P1', fwKey: 'K1', channel: 'main', label: '1.1.0', signedManifest: Buffer.from(canonicalJson(manifest)).toString('base64') });
    await h.deploy(signed, ['signed-dev']);
    const ok = await h.ended('signed-dev');
    assert.equal(ok.state, 'succeeded', ok.failureReason);
    assert.equal(device.runningVersion, '1.1.0');

    // The same kind of image without a manifest: this device installs only what its key signed.
    const unsigned = await h.release(buildSyntheticEspImage({ version: '1.2.0', size: 24 * 1024 }), '1.2.0');
    await h.deploy(unsigned, ['signed-dev']);
    const refused = await h.ended('signed-dev', 15_000, ok.id);
    assert.equal(refused.state, 'failed');
    assert.match(refused.failureReason ?? '', /signature missing: the deployment carries no signed manifest/);
    assert.equal(device.runningVersion, '1.1.0');
  });
});
