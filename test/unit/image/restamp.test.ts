import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OtaError } from '../../../src/core/errors';
import { parseEspIdfImage } from '../../../src/core/image/espIdfImage';
import { restampEspIdfImage } from '../../../src/core/image/espIdfRestamp';
import { parseMcubootImage } from '../../../src/core/image/mcubootImage';
import { parseMcubootVersion } from '../../../src/core/image/mcubootVersion';
import { loadSigningKey } from '../../../src/core/signing/loadKey';
import { restampMcubootImage } from '../../../src/core/signing/mcubootRestamp';
import { verifyFirmware } from '../../../src/core/verify/verifyFirmware';
import { espBlink, mcubootDir } from '../../helpers/fixtures';
import { scratchDir } from '../../helpers/scratchDir';

function key(name: string) {
  return loadSigningKey({ label: name, pem: readFileSync(join(mcubootDir, name), 'utf8') });
}

describe('re-stamping embedded versions', () => {
  const esp = readFileSync(espBlink);

  it('writes a new ESP-IDF version and fixes checksum and appended SHA-256; nothing else changes', () => {
    const { bytes, image, previousVersion } = restampEspIdfImage(esp, 'blink.bin', { version: '1.0.2', secureVersion: 3 });
    assert.equal(previousVersion, 'qa-test-v5.0-20220830-4-g4532e6');
    assert.equal(image.appDescription?.version, '1.0.2');
    assert.equal(image.appDescription?.secureVersion, 3);
    assert.equal(image.checksum.ok, true);
    assert.equal(image.sha256?.ok, true);
    assert.equal(verifyFirmware({ bytes, file: 'x' }).ok, true);
    const changed = [...bytes.keys()].filter((i) => bytes[i] !== esp[i]);
    const allowed = (i: number) => (i >= 36 && i < 40) || (i >= 48 && i < 80) || i === image.checksum.offset || (i >= 182336 && i < 182368);
    assert.ok(changed.every(allowed), `unexpected changes at ${changed.filter((i) => !allowed(i)).slice(0, 5).join(', ')}`);
    assert.equal(parseEspIdfImage(esp, 'blink.bin').appDescription?.version, 'qa-test-v5.0-20220830-4-g4532e6', 'the input buffer is untouched');
  });

  it('refuses an ESP-IDF version that does not fit char[32]', () => {
    assert.throws(() => restampEspIdfImage(esp, 'blink.bin', { version: 'x'.repeat(32) }), (err: unknown) => err instanceof OtaError && err.code === 'version-invalid');
  });

  it('refuses to re-stamp an ESP-IDF image carrying a signature block it would invalidate', () => {
    const signed = Buffer.concat([esp, Buffer.alloc(4096, 0xe7)]);
    assert.throws(() => restampEspIdfImage(signed, 'blink.bin', { version: '1.0.2' }), (err: unknown) => err instanceof OtaError && err.code === 'restamp-signed');
  });

  it('writes a new MCUboot header version and signs again so the image verifies', async () => {
    const bytes = readFileSync(join(mcubootDir, 'signed-ed25519-1.2.3+4.bin'));
    const out = join(scratchDir('ota-restamp-'), 'out.bin');
    const result = await restampMcubootImage({ bytes, file: 'in.bin', output: out, version: parseMcubootVersion('1.2.4'), key: key('root-ed25519.pem') });
    assert.equal(result.version, '1.2.4+0');
    const written = readFileSync(out);
    const image = parseMcubootImage(written, 'out.bin');
    assert.equal(image.versionText, '1.2.4+0');
    assert.deepEqual(written.subarray(0x200, 0x200 + 40000), bytes.subarray(0x200, 0x200 + 40000));
    const report = verifyFirmware({ bytes: written, file: 'out.bin', key: key('root-ed25519.pem') });
    assert.deepEqual(report.checks.map((c) => [c.name, c.status]), [['structure', 'ok'], ['sha256', 'ok'], ['signature', 'ok']]);
  });

  it('carries a security counter over unchanged, and the re-signed image verifies', async () => {
    const bytes = readFileSync(join(mcubootDir, 'signed-ed25519-1.2.3+4-seccnt-confirmed.bin'));
    const out = join(scratchDir('ota-restamp-'), 'out.bin');
    await restampMcubootImage({ bytes, file: 'in.bin', output: out, version: parseMcubootVersion('1.2.5'), key: key('root-ed25519.pem') });
    const written = readFileSync(out);
    const image = parseMcubootImage(written, 'out.bin');
    assert.equal(image.versionText, '1.2.5+0');
    assert.equal(image.securityCounter, 0x01020003, 'the counter of 1.2.3, not one derived from 1.2.5');
    const report = verifyFirmware({ bytes: written, file: 'out.bin', key: key('root-ed25519.pem') });
    assert.deepEqual(report.checks.map((c) => [c.name, c.status]), [['structure', 'ok'], ['sha256', 'ok'], ['signature', 'ok']]);
  });

  for (const fixture of ['signed-ed25519-1.2.3+4-seccnt-confirmed.bin', 'signed-ed25519-1.2.3+4-seccnt0x1234-pad-align16.bin']) {
    it(`keeps the slot padding and swap trailer of ${fixture} (same size, boot magic, image_ok)`, async () => {
      const bytes = readFileSync(join(mcubootDir, fixture));
      const before = parseMcubootImage(bytes, fixture);
      assert.ok(before.slotTrailer && before.trailingBytes > 0, 'the fixture is padded');
      const out = join(scratchDir('ota-restamp-'), 'out.bin');
      await restampMcubootImage({ bytes, file: fixture, output: out, version: parseMcubootVersion('1.2.6'), key: key('root-ed25519.pem') });
      const written = readFileSync(out);
      assert.equal(written.length, bytes.length, 'padded to the same slot size');
      const after = parseMcubootImage(written, 'out.bin');
      assert.equal(after.versionText, '1.2.6+0');
      assert.deepEqual(after.slotTrailer, before.slotTrailer);
      assert.equal(after.trailingBytes, before.trailingBytes);
      // Everything after the TLVs is byte for byte what it was: erased padding, status, image_ok, magic.
      assert.ok(written.subarray(written.length - before.trailingBytes).equals(bytes.subarray(bytes.length - before.trailingBytes)));
      const report = verifyFirmware({ bytes: written, file: 'out.bin', key: key('root-ed25519.pem') });
      assert.ok(report.checks.every((c) => c.status === 'ok'), JSON.stringify(report.checks));
    });
  }

  it('refuses bytes after the TLVs that are not a slot trailer, instead of dropping them', async () => {
    const bytes = Buffer.concat([readFileSync(join(mcubootDir, 'signed-ed25519-1.2.3+4.bin')), Buffer.alloc(64, 0xff)]);
    const out = join(scratchDir('ota-restamp-'), 'out.bin');
    await assert.rejects(
      restampMcubootImage({ bytes, file: 'in.bin', output: out, version: parseMcubootVersion('1.2.6'), key: key('root-ed25519.pem') }),
      (err: unknown) => err instanceof OtaError && err.code === 'restamp-unsupported' && /64 bytes after its TLV area that are not an MCUboot slot trailer/.test(err.message),
    );
  });

  it('refuses protected TLVs other than the security counter, naming them', async () => {
    const unsigned = readFileSync(join(mcubootDir, 'unsigned-0.9.0.bin'));
    const headerAndPayload = Buffer.from(unsigned.subarray(0, 0x200 + 40000));
    const protectedArea = Buffer.alloc(4 + 4 + 12);
    protectedArea.writeUInt16LE(0x6908, 0);
    protectedArea.writeUInt16LE(protectedArea.length, 2);
    protectedArea.writeUInt16LE(0x40, 4); // DEPENDENCY: image 1 needs version 1.0.0+0
    protectedArea.writeUInt16LE(12, 6);
    protectedArea[8] = 1;
    protectedArea[12] = 1;
    headerAndPayload.writeUInt16LE(protectedArea.length, 10);
    const tlvArea = Buffer.alloc(4 + 4 + 32);
    tlvArea.writeUInt16LE(0x6907, 0);
    tlvArea.writeUInt16LE(tlvArea.length, 2);
    tlvArea.writeUInt16LE(0x10, 4);
    tlvArea.writeUInt16LE(32, 6);
    createHash('sha256').update(headerAndPayload).update(protectedArea).digest().copy(tlvArea, 8);
    const out = join(scratchDir('ota-restamp-'), 'out.bin');
    await assert.rejects(
      restampMcubootImage({ bytes: Buffer.concat([headerAndPayload, protectedArea, tlvArea]), file: 'dep.bin', output: out, version: parseMcubootVersion('1.0.1') }),
      (err: unknown) => err instanceof OtaError && err.code === 'restamp-unsupported' && /DEPENDENCY/.test(err.message),
    );
  });

  it('needs the signing key for a signed MCUboot image, and the same key the image names', async () => {
    const bytes = readFileSync(join(mcubootDir, 'signed-rsa2048-1.0.0.bin'));
    const out = join(scratchDir('ota-restamp-'), 'out.bin');
    await assert.rejects(restampMcubootImage({ bytes, file: 'in.bin', output: out, version: parseMcubootVersion('1.0.1') }), (err: unknown) => err instanceof OtaError && err.code === 'key-missing');
    await assert.rejects(
      restampMcubootImage({ bytes, file: 'in.bin', output: out, version: parseMcubootVersion('1.0.1'), key: key('root-rsa-3072.pem') }),
      (err: unknown) => err instanceof OtaError && err.code === 'key-mismatch',
    );
  });
});
