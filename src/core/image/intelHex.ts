import { OtaError } from '../errors';

export interface IntelHexImage {
  /** Lowest address with data; byte 0 of `data` lives here. */
  baseAddress: number;
  data: Buffer;
  /** From a type 03/05 record, when present. */
  startAddress?: number;
}

/** Gaps between records read as erased flash, as imgtool (intelhex) fills them. */
const gapFill = 0xff;
/** Refuse to expand a sparse HEX into something absurd (e.g. records at 0x0 and 0x2000_0000). */
const maxImageSpan = 64 * 1024 * 1024;

/** Converts Intel HEX text to the contiguous binary a bootloader would see in flash. */
export function parseIntelHex(text: string, file: string): IntelHexImage {
  const chunks: Array<{ address: number; bytes: Buffer }> = [];
  let upper = 0;
  let startAddress: number | undefined;
  let sawEnd = false;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length && !sawEnd; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const where = `${file} line ${i + 1}`;
    const fail = (what: string) =>
      new OtaError(what, { where, hint: 'Regenerate the HEX file from the build (objcopy -O ihex); it is damaged.', code: 'hex-invalid' });
    if (!line.startsWith(':') || line.length < 11 || line.length % 2 === 0 || !/^:[0-9a-fA-F]+$/.test(line)) {
      throw fail('not an Intel HEX record (expected ":" followed by hex digits)');
    }
    const record = Buffer.from(line.slice(1), 'hex');
    const count = record[0]!;
    if (record.length !== count + 5) throw fail(`record length ${record.length - 5} does not match its byte count ${count}`);
    const sum = record.reduce((acc, b) => (acc + b) & 0xff, 0);
    if (sum !== 0) throw fail('record checksum does not match');
    const offset = record.readUInt16BE(1);
    const type = record[3]!;
    const data = record.subarray(4, 4 + count);
    switch (type) {
      case 0x00:
        chunks.push({ address: upper + offset, bytes: data });
        break;
      case 0x01:
        sawEnd = true;
        break;
      case 0x02:
        upper = data.readUInt16BE(0) * 16;
        break;
      case 0x03:
        startAddress = data.readUInt16BE(0) * 16 + data.readUInt16BE(2);
        break;
      case 0x04:
        upper = data.readUInt16BE(0) * 0x10000;
        break;
      case 0x05:
        startAddress = data.readUInt32BE(0);
        break;
      default:
        throw fail(`unknown record type 0x${type.toString(16).padStart(2, '0')}`);
    }
  }
  if (!sawEnd) {
    throw new OtaError('Intel HEX file has no end-of-file record', { where: file, hint: 'The file is truncated; regenerate it from the build.', code: 'hex-truncated' });
  }
  if (chunks.length === 0) {
    throw new OtaError('Intel HEX file contains no data records', { where: file, hint: 'Point at the firmware HEX produced by the build.', code: 'hex-empty' });
  }
  const baseAddress = Math.min(...chunks.map((c) => c.address));
  const end = Math.max(...chunks.map((c) => c.address + c.bytes.length));
  if (end - baseAddress > maxImageSpan) {
    throw new OtaError(`Intel HEX data spans 0x${baseAddress.toString(16)}..0x${end.toString(16)}, too far apart for one image`, {
      where: file,
      hint: 'The file holds several flash regions (e.g. bootloader and app); convert only the app region.',
      code: 'hex-sparse',
    });
  }
  const out = Buffer.alloc(end - baseAddress, gapFill);
  for (const chunk of chunks) chunk.bytes.copy(out, chunk.address - baseAddress);
  return { baseAddress, data: out, ...(startAddress !== undefined ? { startAddress } : {}) };
}
