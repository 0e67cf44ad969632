import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyFirmware } from '../../../src/core/verify/verifyFirmware';
import { loadVerifyingKey } from '../../../src/core/signing/loadKey';
import { espBlink, mcubootDir } from '../../helpers/fixtures';
import { runCli } from '../../helpers/runCli';
import { scratchDir } from '../../helpers/scratchDir';

describe('verify', () => {
  it('names the ESP-IDF checks a changed byte breaks and where', () => {
    const bytes = Buffer.from(readFileSync(espBlink));
    bytes[5000] = bytes[5000]! ^ 0xff;
    const report = verifyFirmware({ bytes, file: 'blink.bin' });
    assert.equal(report.ok, false);
    const failed = report.checks.filter((c) => c.status === 'failed');
    assert.deepEqual(failed.map((c) => [c.name, c.where]), [
      ['checksum', 'blink.bin at offset 0x2c83f (182335)'],
      ['sha256', 'blink.bin at offset 0x2c840 (182336)'],
    ]);
  });

  it('reports a structural failure as the structure check, with the offset', () => {
    const report = verifyFirmware({ bytes: readFileSync(join(mcubootDir, 'signed-ed25519-1.2.3+4.bin')).subarray(0, 40600), file: 'cut.bin' });
    assert.equal(report.ok, false);
    assert.equal(report.checks[0]?.name, 'structure');
    assert.equal(report.checks[0]?.where, 'cut.bin at offset 0x9e42 (40514)');
  });

  it('fails the MCUboot SHA256 and signature checks of a changed payload', () => {
    const bytes = Buffer.from(readFileSync(join(mcubootDir, 'signed-ecp256-1.2.3.bin')));
    bytes[0x1000] = bytes[0x1000]! ^ 1;
    const key = loadVerifyingKey({ label: 'k.pem', pem: readFileSync(join(mcubootDir, 'root-ec-p256.pem'), 'utf8') });
    const report = verifyFirmware({ bytes, file: 'x.bin', key });
    assert.deepEqual(report.checks.map((c) => [c.name, c.status]), [['structure', 'ok'], ['sha256', 'failed'], ['signature', 'failed']]);
  });

  it('exits 1 from the CLI and prints which check failed', async () => {
    const path = join(scratchDir('ota-verify-'), 'bad.bin');
    const bytes = Buffer.from(readFileSync(join(mcubootDir, 'signed-rsa3072-2.0.1+7.bin')));
    bytes[0x300] = bytes[0x300]! ^ 1;
    writeFileSync(path, bytes);
    const run = await runCli(['verify', path, '-k', join(mcubootDir, 'root-rsa-3072.pem')]);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /FAILED +sha256/);
    assert.match(run.stdout, /bad\.bin: FAILED \(sha256, signature\)/);
    const ok = await runCli(['verify', join(mcubootDir, 'signed-rsa3072-2.0.1+7.bin'), '-k', join(mcubootDir, 'root-rsa-3072.pem'), '--json']);
    assert.equal(ok.code, 0);
    assert.equal(JSON.parse(ok.stdout).embeddedVersion, '2.0.1+7');
  });
});
