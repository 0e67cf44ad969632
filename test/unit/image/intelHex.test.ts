import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OtaError } from '../../../src/core/errors';
import { parseIntelHex } from '../../../src/core/image/intelHex';
import { readImageFile } from '../../../src/core/image/readImageFile';

/** Builds one record with its checksum, so the tests state addresses and data, not hex noise. */
function record(type: number, address: number, data: number[]): string {
  const body = [data.length, (address >> 8) & 0xff, address & 0xff, type, ...data];
  const sum = (0x100 - (body.reduce((a, b) => a + b, 0) & 0xff)) & 0xff;
  return ':' + [...body, sum].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join('');
}

describe('Intel HEX conversion', () => {
  const hex = [
    record(0x04, 0, [0x08, 0x00]), // upper 16 bits: 0x0800_0000
    record(0x00, 0x0000, [1, 2, 3, 4]),
    record(0x00, 0x0008, [9, 9]),
    record(0x05, 0, [0x08, 0x00, 0x01, 0x23]),
    record(0x01, 0, []),
  ].join('\n');

  it('lays records out from the lowest address, gaps as erased flash (0xff)', () => {
    const image = parseIntelHex(hex, 'fw.hex');
    assert.equal(image.baseAddress, 0x08000000);
    assert.equal(image.startAddress, 0x08000123);
    assert.deepEqual([...image.data], [1, 2, 3, 4, 0xff, 0xff, 0xff, 0xff, 9, 9]);
  });

  it('names the line of a record with a bad checksum', () => {
    const broken = hex.replace(record(0x00, 0x0008, [9, 9]), record(0x00, 0x0008, [9, 9]).slice(0, -2) + '00');
    assert.throws(() => parseIntelHex(broken, 'fw.hex'), (err: unknown) => err instanceof OtaError && err.where === 'fw.hex line 3' && /checksum/.test(err.message));
  });

  it('treats a missing end-of-file record as truncation', () => {
    assert.throws(() => parseIntelHex(hex.split('\n').slice(0, 3).join('\n'), 'fw.hex'), (err: unknown) => err instanceof OtaError && err.code === 'hex-truncated');
  });

  it('is converted when read from a .hex file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ota-hex-'));
    const path = join(dir, 'fw.hex');
    writeFileSync(path, hex);
    const read = await readImageFile(path);
    assert.equal(read.hexBaseAddress, 0x08000000);
    assert.equal(read.bytes.length, 10);
  });

  it('says which path could not be read', async () => {
    await assert.rejects(readImageFile('/nonexistent/fw.bin'), (err: unknown) => err instanceof OtaError && err.where === '/nonexistent/fw.bin' && /no such file/.test(err.message));
  });
});
