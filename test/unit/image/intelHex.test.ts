import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OtaError } from '../../../src/core/errors';
import { parseIntelHex } from '../../../src/core/image/intelHex';
import { readImageFile } from '../../../src/core/image/readImageFile';
import { runCli } from '../../helpers/runCli';
import { scratchDir } from '../../helpers/scratchDir';

/** Builds one record with its checksum, so the tests state addresses and data, not hex noise. */
function record(type: number, address: number, data: number[]): string {
  const body = [data.length, (address >> 8) & 0xff, address & 0xff, type, ...data];
  const sum = (0x100 - (body.reduce((a, b) => a + b, 0) & 0xff)) & 0xff;
  return ':' + [...body, sum].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join('');
}

/** One record from a Buffer (the array form above is too slow for 160,000 of them). */
function fastRecord(type: number, address: number, data: Buffer): string {
  const body = Buffer.alloc(data.length + 5);
  body[0] = data.length;
  body.writeUInt16BE(address & 0xffff, 1);
  body[3] = type;
  data.copy(body, 4);
  let sum = 0;
  for (let i = 0; i < body.length - 1; i++) sum += body[i]!;
  body[body.length - 1] = (0x100 - (sum & 0xff)) & 0xff;
  return ':' + body.toString('hex').toUpperCase();
}

/** A binary as HEX the way objcopy writes it: 16-byte data records, a type 04 record per 64 KiB. */
function toHex(bytes: Buffer, base: number, order: 'ascending' | 'descending' = 'ascending'): string {
  const blocks: string[][] = [];
  for (let at = 0; at < bytes.length; at += 16) {
    const address = base + at;
    const upper = Buffer.from([address >>> 24, (address >>> 16) & 0xff]);
    blocks.push([fastRecord(0x04, 0, upper), fastRecord(0x00, address, bytes.subarray(at, at + 16))]);
  }
  if (order === 'descending') blocks.reverse();
  return [...blocks.flat(), record(0x01, 0, [])].join('\n') + '\n';
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

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

  it('names the line of a record with a character that is not a hex digit', () => {
    const broken = hex.replace(record(0x00, 0x0008, [9, 9]), record(0x00, 0x0008, [9, 9]).replace(/9$/, 'g').replace(/^(:.{9})./, '$1g'));
    assert.throws(() => parseIntelHex(broken, 'fw.hex'), (err: unknown) => err instanceof OtaError && err.where === 'fw.hex line 3' && err.code === 'hex-invalid' && /not an Intel HEX record/.test(err.message));
  });

  it('treats a missing end-of-file record as truncation', () => {
    assert.throws(() => parseIntelHex(hex.split('\n').slice(0, 3).join('\n'), 'fw.hex'), (err: unknown) => err instanceof OtaError && err.code === 'hex-truncated');
  });

  it('is converted when read from a .hex file', async () => {
    const dir = scratchDir('ota-hex-');
    const path = join(dir, 'fw.hex');
    writeFileSync(path, hex);
    const read = await readImageFile(path);
    assert.equal(read.hexBaseAddress, 0x08000000);
    assert.equal(read.bytes.length, 10);
  });

  it('says which path could not be read', async () => {
    await assert.rejects(readImageFile('/nonexistent/fw.bin'), (err: unknown) => err instanceof OtaError && err.where === '/nonexistent/fw.bin' && /no such file/.test(err.message));
  });

  it('reads a 2.5 MB image (over 160,000 records) back to the same bytes', function () {
    // Generous: the file is made and read in this test on a shared 2-core CI machine; speed is bench/'s business.
    this.timeout(120_000);
    const binary = randomBytes(2_621_440);
    const text = toHex(binary, 0x08000000);
    assert.ok(text.split('\n').length > 160_000);
    const image = parseIntelHex(text, 'big.hex');
    assert.equal(image.baseAddress, 0x08000000);
    assert.equal(sha256(image.data), sha256(binary));
  });

  it('does not depend on records coming in address order', () => {
    const binary = randomBytes(300_000);
    const image = parseIntelHex(toHex(binary, 0x08000000, 'descending'), 'big.hex');
    assert.equal(image.baseAddress, 0x08000000);
    assert.equal(sha256(image.data), sha256(binary));
  });

  it('ota image info hashes a 2.5 MB HEX as its binary', async function () {
    this.timeout(120_000);
    const dir = scratchDir('ota-hex-big-');
    try {
      const binary = randomBytes(2_621_440);
      writeFileSync(join(dir, 'big.hex'), toHex(binary, 0x00010000));
      const run = await runCli(['image', 'info', join(dir, 'big.hex'), '--json']);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, new RegExp(sha256(binary)));
      assert.match(run.stdout, /2621440/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses overlapping records, naming both lines and their addresses', () => {
    const overlapping = [
      record(0x04, 0, [0x08, 0x00]),
      record(0x00, 0x0000, [1, 2, 3, 4]),
      record(0x00, 0x0010, [5, 6]),
      record(0x00, 0x0002, [7, 7, 7]),
      record(0x01, 0, []),
    ].join('\n');
    assert.throws(
      () => parseIntelHex(overlapping, 'fw.hex'),
      (err: unknown) =>
        err instanceof OtaError &&
        err.code === 'hex-overlap' &&
        err.where === 'fw.hex' &&
        err.message === 'Intel HEX records overlap at 0x08000002: line 4 (0x08000002..0x08000004) writes over line 2 (0x08000000..0x08000003)',
    );
    // Records that touch without sharing a byte are fine.
    const adjacent = [record(0x00, 0x0004, [5]), record(0x00, 0x0000, [1, 2, 3, 4]), record(0x01, 0, [])].join('\n');
    assert.deepEqual([...parseIntelHex(adjacent, 'fw.hex').data], [1, 2, 3, 4, 5]);
  });
});
