import * as assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OtaError } from '../../../src/core/errors';
import { inspectImage } from '../../../src/core/image/inspectImage';
import { parseMcubootImage } from '../../../src/core/image/mcubootImage';
import { loadVerifyingKey } from '../../../src/core/signing/loadKey';
import { verifyMcubootSignature } from '../../../src/core/signing/mcubootVerify';
import { mcubootDir } from '../../helpers/fixtures';

/** The table in shared/reference/mcuboot-image.md. */
const table = [
  { file: 'signed-ed25519-1.2.3+4.bin', key: 'root-ed25519.pem', version: '1.2.3+4', tlvs: ['SHA256', 'KEYHASH', 'ED25519'], area: 0x90 },
  { file: 'signed-rsa2048-1.0.0.bin', key: 'root-rsa-2048.pem', version: '1.0.0+0', tlvs: ['SHA256', 'KEYHASH', 'RSA2048'], area: 0x150 },
  { file: 'signed-rsa3072-2.0.1+7.bin', key: 'root-rsa-3072.pem', version: '2.0.1+7', tlvs: ['SHA256', 'KEYHASH', 'RSA3072'], area: 0x1d0 },
  { file: 'signed-ecp256-1.2.3.bin', key: 'root-ec-p256.pem', version: '1.2.3+0', tlvs: ['SHA256', 'KEYHASH', 'ECDSASIG'], area: 0x97 },
  { file: 'unsigned-0.9.0.bin', key: undefined, version: '0.9.0+0', tlvs: ['SHA256'], area: 0x28 },
] as const;

function read(name: string): Buffer {
  return readFileSync(join(mcubootDir, name));
}

function key(name: string) {
  return loadVerifyingKey({ label: name, pem: read(name).toString('utf8') });
}

function expectImageError(fn: () => unknown, code: string, offset: number, what: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof OtaError);
    assert.equal(err.code, code);
    assert.match(err.message, what);
    assert.match(err.where ?? '', new RegExp(`img\\.bin at offset 0x${offset.toString(16)} \\(${offset}\\)$`));
    assert.ok(err.hint);
    return true;
  });
}

describe('MCUboot image reader', () => {
  for (const row of table) {
    it(`reads ${row.file}: version ${row.version}, TLVs ${row.tlvs.join('+')}, area 0x${row.area.toString(16)}`, () => {
      const bytes = read(row.file);
      const image = parseMcubootImage(bytes, row.file);
      assert.equal(inspectImage(bytes, row.file).format, 'mcuboot');
      assert.equal(image.versionText, row.version);
      assert.equal(image.headerSize, 0x200);
      assert.equal(image.imageSize, 40000);
      assert.equal(image.protectedTlvSize, 0);
      assert.equal(image.flags, 0);
      assert.equal(image.loadAddress, 0);
      assert.deepEqual(image.tlvs.map((t) => t.name), row.tlvs);
      assert.equal(image.tlvAreaSize, row.area);
      assert.equal(image.tlvAreaOffset, 0x200 + 40000);
      assert.equal(image.trailingBytes, 0);
      assert.equal(image.size, 0x200 + 40000 + row.area);
      assert.equal(image.sha256?.ok, true);
      // The payload is the documented pattern, after a header padded with 0xff.
      const payload = bytes.subarray(0x200, 0x200 + 40000);
      assert.ok(payload.every((b, i) => b === ((i * 31 + 7) & 255)));
    });
    if (row.key) {
      it(`verifies ${row.file} against ${row.key} and names the key by its hash`, () => {
        const bytes = read(row.file);
        const image = parseMcubootImage(bytes, row.file);
        const k = key(row.key!);
        assert.equal(image.keyHash, k.keyId);
        const check = verifyMcubootSignature(bytes, image, k, row.file);
        assert.equal(check.ok, true, check.detail);
      });
    }
  }

  it('fails the signature check of a changed payload byte and says where the signature is', () => {
    const bytes = Buffer.from(read('signed-ed25519-1.2.3+4.bin'));
    bytes[0x300] = bytes[0x300]! ^ 1;
    const image = parseMcubootImage(bytes, 'img.bin');
    assert.equal(image.sha256?.ok, false);
    const check = verifyMcubootSignature(bytes, image, key('root-ed25519.pem'), 'img.bin');
    assert.equal(check.ok, false);
    assert.match(check.detail, /does not verify/);
    assert.match(check.where ?? '', /at offset 0x9e8c/);
  });

  it('says which key the image names when checked against another key of the same type', () => {
    const bytes = read('signed-rsa2048-1.0.0.bin');
    const image = parseMcubootImage(bytes, 'img.bin');
    const other = loadVerifyingKey({ label: 'other.pem', pem: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string });
    const check = verifyMcubootSignature(bytes, image, other, 'img.bin');
    assert.equal(check.ok, false);
    assert.match(check.detail, /names key fc5701dc.* but other\.pem is key/);
  });

  it('says an unsigned image has no signature', () => {
    const bytes = read('unsigned-0.9.0.bin');
    const check = verifyMcubootSignature(bytes, parseMcubootImage(bytes, 'img.bin'), key('root-ed25519.pem'), 'img.bin');
    assert.equal(check.ok, false);
    assert.match(check.detail, /unsigned/);
  });

  it('rejects wrong magic, a truncated payload, and TLV areas that run past the end', () => {
    const good = read('signed-ed25519-1.2.3+4.bin');
    const wrong = Buffer.from(good);
    wrong[0] = 0;
    expectImageError(() => parseMcubootImage(wrong, 'img.bin'), 'image-magic', 0, /magic is 0x96f3b800/);
    expectImageError(() => parseMcubootImage(good.subarray(0, 20000), 'img.bin'), 'image-truncated', 12, /header \(512\) \+ img_size \(40000\)/);
    expectImageError(() => parseMcubootImage(good.subarray(0, 16), 'img.bin'), 'image-truncated', 16, /header alone is 32/);
    expectImageError(() => parseMcubootImage(good.subarray(0, 40512 + 2), 'img.bin'), 'image-truncated', 40512, /TLV area header .* missing/);
    expectImageError(() => parseMcubootImage(good.subarray(0, good.length - 1), 'img.bin'), 'image-tlv-overrun', 40514, /TLV area claims 144 bytes and runs past the end .* by 1/);
    const longEntry = Buffer.from(good);
    longEntry.writeUInt16LE(0x100, 0x9e8c + 2);
    expectImageError(() => parseMcubootImage(longEntry, 'img.bin'), 'image-tlv-overrun', 0x9e8c, /TLV ED25519 \(256 bytes\) runs past the end of the area/);
    const badTlvMagic = Buffer.from(good);
    badTlvMagic.writeUInt16LE(0x1234, 40512);
    expectImageError(() => parseMcubootImage(badTlvMagic, 'img.bin'), 'image-tlv', 40512, /TLV area magic is 0x1234, expected 0x6907/);
  });
});

describe('MCUboot protected TLVs', () => {
  it('reads a security counter from the protected area and hashes header + payload + protected TLVs', () => {
    const signed = read('unsigned-0.9.0.bin');
    const headerAndPayload = Buffer.from(signed.subarray(0, 40512));
    const protectedArea = Buffer.alloc(12);
    protectedArea.writeUInt16LE(0x6908, 0);
    protectedArea.writeUInt16LE(12, 2);
    protectedArea.writeUInt16LE(0x50, 4); // SEC_CNT
    protectedArea.writeUInt16LE(4, 6);
    protectedArea.writeUInt32LE(7, 8);
    headerAndPayload.writeUInt16LE(12, 10); // protect_tlv_size
    const digest = createHash('sha256').update(headerAndPayload).update(protectedArea).digest();
    const tlvArea = Buffer.alloc(4 + 4 + 32);
    tlvArea.writeUInt16LE(0x6907, 0);
    tlvArea.writeUInt16LE(tlvArea.length, 2);
    tlvArea.writeUInt16LE(0x10, 4);
    tlvArea.writeUInt16LE(32, 6);
    digest.copy(tlvArea, 8);
    const image = parseMcubootImage(Buffer.concat([headerAndPayload, protectedArea, tlvArea]), 'img.bin');
    assert.equal(image.securityCounter, 7);
    assert.equal(image.hashedLength, 40512 + 12);
    assert.deepEqual(image.tlvs.map((t) => [t.name, t.protected]), [['SEC_CNT', true], ['SHA256', false]]);
    assert.equal(image.sha256?.ok, true);
  });
});

describe('MCUboot slot trailer (imgtool --pad / --confirm)', () => {
  it('reads boot magic and image_ok at the end of a padded image, for both magic forms', () => {
    const confirmed = parseMcubootImage(read('signed-ed25519-1.2.3+4-seccnt-confirmed.bin'), 'a.bin');
    assert.equal(confirmed.size, 0x10000);
    assert.deepEqual(confirmed.slotTrailer, { maxAlign: 8, confirmed: true });
    const test = parseMcubootImage(read('signed-ed25519-1.2.3+4-seccnt0x1234-pad-align16.bin'), 'b.bin');
    assert.deepEqual(test.slotTrailer, { maxAlign: 16, confirmed: false });
  });

  it('reports no trailer for an unpadded image or a padded one whose magic is damaged', () => {
    assert.equal(parseMcubootImage(read('signed-ed25519-1.2.3+4.bin'), 'c.bin').slotTrailer, undefined);
    const damaged = Buffer.from(read('signed-ed25519-1.2.3+4-seccnt-confirmed.bin'));
    damaged[damaged.length - 1]! ^= 0xff;
    const image = parseMcubootImage(damaged, 'd.bin');
    assert.equal(image.slotTrailer, undefined);
    assert.equal(image.trailingBytes, 24868);
  });
});
