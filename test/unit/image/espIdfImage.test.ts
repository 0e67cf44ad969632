import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { OtaError } from '../../../src/core/errors';
import { parseEspIdfImage } from '../../../src/core/image/espIdfImage';
import { inspectImage } from '../../../src/core/image/inspectImage';
import { espBlink } from '../../helpers/fixtures';

function expectImageError(fn: () => unknown, code: string, offset: number, what: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof OtaError, 'an OtaError');
    assert.equal(err.code, code);
    assert.match(err.message, what);
    assert.match(err.where ?? '', new RegExp(`blink\\.bin at offset 0x${offset.toString(16)} \\(${offset}\\)$`));
    assert.ok(err.hint && err.hint.length > 10, 'says what to do');
    return true;
  });
}

describe('ESP-IDF app image reader', () => {
  const bytes = readFileSync(espBlink);

  it('reports every documented field of the blink fixture exactly', () => {
    const image = parseEspIdfImage(bytes, 'blink.bin');
    assert.equal(image.size, 182368);
    assert.equal(image.segmentCount, 6);
    assert.equal(image.segments.length, 6);
    assert.deepEqual(image.segments[0], { index: 0, offset: 24, loadAddress: 0x3f000020, length: 35864 });
    assert.equal(image.checksum.stored, 0x18);
    assert.equal(image.checksum.computed, 0x18);
    assert.equal(image.checksum.ok, true);
    assert.equal(image.hashAppended, true);
    assert.equal(image.sha256?.regionEnd, 182336);
    assert.equal(image.sha256?.stored, '10f48f4a71a48cc4c917d70d13bf717b1bc7f3187b3d564b00192f7e381531b7');
    assert.equal(image.sha256?.ok, true);
    assert.equal(image.chipId, 2);
    assert.equal(image.chipName, 'ESP32-S2');
    assert.equal(image.trailingBytes, 0);
    assert.deepEqual(image.appDescription, {
      secureVersion: 0,
      version: 'qa-test-v5.0-20220830-4-g4532e6',
      projectName: 'blink',
      time: '19:46:07',
      date: 'Sep 13 2022',
      idfVersion: 'v5.0-beta1-427-g4532e6e0b2-dirt',
      appElfSha256: '3059e6b55a965865febd28fa9f6028ad5cd0dab311febb0a3ea79eaa223ac2b0',
    });
  });

  it('is detected by its magic byte', () => {
    assert.equal(inspectImage(bytes, 'blink.bin').format, 'esp-idf');
  });

  it('reports a changed data byte as checksum and SHA-256 mismatches, not as a crash', () => {
    const copy = Buffer.from(bytes);
    copy[1000] = copy[1000]! ^ 0x5a;
    const image = parseEspIdfImage(copy, 'blink.bin');
    assert.equal(image.checksum.ok, false);
    assert.equal(image.checksum.computed, 0x18 ^ 0x5a);
    assert.equal(image.sha256?.ok, false);
  });

  it('names the segment whose length runs past the end of a truncated file', () => {
    expectImageError(() => parseEspIdfImage(bytes.subarray(0, 100000), 'blink.bin'), 'image-segment-overrun', 0x10018 + 4, /segment 3 .* runs past the end/);
  });

  it('says the appended SHA-256 is missing when the file stops after the checksum', () => {
    expectImageError(() => parseEspIdfImage(bytes.subarray(0, 182340), 'blink.bin'), 'image-truncated', 182336, /SHA-256 .* missing/);
  });

  it('rejects a file shorter than the header and a wrong magic byte', () => {
    expectImageError(() => parseEspIdfImage(bytes.subarray(0, 10), 'blink.bin'), 'image-truncated', 10, /header alone is 24/);
    const wrong = Buffer.from(bytes);
    wrong[0] = 0x7f;
    expectImageError(() => parseEspIdfImage(wrong, 'blink.bin'), 'image-magic', 0, /magic byte is 0x7f, expected 0xe9/);
  });

  it('rejects a segment length that points past the end of the file', () => {
    const bad = Buffer.from(bytes);
    bad.writeUInt32LE(0x7fffffff, 24 + 4);
    expectImageError(() => parseEspIdfImage(bad, 'blink.bin'), 'image-segment-overrun', 28, /segment 0 \(load address 0x3f000020\)/);
  });
});
