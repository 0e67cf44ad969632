import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { espBlink, mcubootDir } from './fixturePaths';
import { runCli } from './runCli';

describe('ota image info', () => {
  it('prints the ESP-IDF fields a device looks at', async () => {
    const run = await runCli(['image', 'info', espBlink]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /version +qa-test-v5\.0-20220830-4-g4532e6\n/);
    assert.match(run.stdout, /secure_version +0\n/);
    assert.match(run.stdout, /checksum +0x18 at 0x2c83f \(ok\)/);
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
    const dir = mkdtempSync(join(tmpdir(), 'ota-info-'));
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
    assert.match(run.stderr, /FILE is missing/);
  });
});
