import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { espBlink, mcubootDir } from '../../helpers/fixtures';
import { runCli } from '../../helpers/runCli';
import { scratchDir } from '../../helpers/scratchDir';

describe('ota image info', () => {
  it('prints the ESP-IDF fields a device looks at', async () => {
    const run = await runCli(['image', 'info', espBlink]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /version +qa-test-v5\.0-20220830-4-g4532e6\n/);
    assert.match(run.stdout, /secure_version +0\n/);
    assert.match(run.stdout, /checksum +0x18 at 0x2c83f \(ok\)/);
    assert.match(run.stdout, /segments +6\n +segment 0 +load 0x3f000020, 35864 bytes/);
    assert.match(run.stdout, /hash appended +yes\n/);
    assert.match(run.stdout, /SHA-256 +10f48f4a71a48cc4c917d70d13bf717b1bc7f3187b3d564b00192f7e381531b7 \(ok, over bytes 0\.\.182336\)/);
    assert.match(run.stdout, /size +182368 bytes\n/);
    assert.match(run.stdout, /project +blink\n/);
    assert.match(run.stdout, /chip +ESP32-S2 \(chip id 2\)/);
    assert.match(run.stdout, /IDF version +v5\.0-beta1-427-g4532e6e0b2-dirt\n/);
  });

  it('gives JSON with the MCUboot header, TLVs and a signature check against -k', async () => {
    const run = await runCli(['image', 'info', join(mcubootDir, 'signed-rsa3072-2.0.1+7.bin'), '-k', join(mcubootDir, 'root-rsa-3072.pem'), '--json']);
    assert.equal(run.code, 0, run.stderr);
    const out = JSON.parse(run.stdout);
    assert.equal(out.image.versionText, '2.0.1+7');
    assert.equal(out.image.tlvAreaSize, 0x1d0);
    assert.equal(out.signature.ok, true);
  });

  it('exits 1 with what, where and what to do for a truncated image, also as JSON', async () => {
    const dir = scratchDir('ota-info-');
    const cut = join(dir, 'cut.bin');
    writeFileSync(cut, readFileSync(join(mcubootDir, 'signed-ed25519-1.2.3+4.bin')).subarray(0, 30000));
    const text = await runCli(['image', 'info', cut]);
    assert.equal(text.code, 1);
    assert.match(text.stderr, /cut\.bin at offset 0xc \(12\): truncated MCUboot image/);
    assert.match(text.stderr, /Sign the image again/);
    const json = await runCli(['image', 'info', cut, '--json']);
    assert.equal(json.code, 1);
    assert.equal(JSON.parse(json.stdout).error.code, 'image-truncated');
  });

  it('exits 2 when FILE is missing', async () => {
    const run = await runCli(['image', 'info']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /missing required argument 'FILE'/);
  });
});
