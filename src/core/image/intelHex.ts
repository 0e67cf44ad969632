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

interface DataRecord {
  address: number;
  bytes: Buffer;
  line: number;
}

const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;
const range = (r: DataRecord) => `${hex(r.address)}..${hex(r.address + r.bytes.length - 1)}`;

/**
 * Two records writing the same flash address: which one wins is a guess (imgtool's intelhex
 * refuses them too), so the file is refused with both records named. Only runs on failure, so
 * the search for the first writer can be a plain scan.
 */
function overlapError(chunks: readonly DataRecord[], later: DataRecord, address: number, file: string): OtaError {
  const earlier = chunks.find((c) => c !== later && c.address <= address && address < c.address + c.bytes.length)!;
  return new OtaError(`Intel HEX records overlap at ${hex(address)}: line ${later.line} (${range(later)}) writes over line ${earlier.line} (${range(earlier)})`, {
    where: file,
    hint: 'Each flash address may be written once; the file was probably concatenated from two builds. Regenerate it from one build (objcopy -O ihex).',
    code: 'hex-overlap',
  });
}

/**
 * Converts Intel HEX text to the contiguous binary a bootloader would see in flash. Linear in the
 * file's size and the image's span: a bitmap of written bytes finds overlapping records without
 * sorting them.
 */
export function parseIntelHex(text: string, file: string): IntelHexImage {
  const chunks: DataRecord[] = [];
  // Bounds kept as records arrive: a spread over 150,000 records (Math.min(...)) overflows the stack.
  let baseAddress = Infinity;
  let end = 0;
  let upper = 0;
  let startAddress: number | undefined;
  let sawEnd = false;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length && !sawEnd; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const fail = (what: string) =>
      new OtaError(what, { where: `${file} line ${i + 1}`, hint: 'Regenerate the HEX file from the build (objcopy -O ihex); it is damaged.', code: 'hex-invalid' });
    // Buffer.from stops at the first character that is not hex, so a short result means a bad digit.
    const record = Buffer.from(line.slice(1), 'hex');
    if (line.charCodeAt(0) !== 0x3a || line.length < 11 || line.length % 2 === 0 || record.length * 2 !== line.length - 1) {
      throw fail('not an Intel HEX record (expected ":" followed by hex digits)');
    }
    const count = record[0]!;
    if (record.length !== count + 5) throw fail(`record length ${record.length - 5} does not match its byte count ${count}`);
    let sum = 0;
    for (let b = 0; b < record.length; b++) sum += record[b]!;
    if ((sum & 0xff) !== 0) throw fail('record checksum does not match');
    const offset = record.readUInt16BE(1);
    const type = record[3]!;
    const data = record.subarray(4, 4 + count);
    switch (type) {
      case 0x00:
        chunks.push({ address: upper + offset, bytes: data, line: i + 1 });
        baseAddress = Math.min(baseAddress, upper + offset);
        end = Math.max(end, upper + offset + count);
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
  if (end - baseAddress > maxImageSpan) {
    throw new OtaError(`Intel HEX data spans 0x${baseAddress.toString(16)}..0x${end.toString(16)}, too far apart for one image`, {
      where: file,
      hint: 'The file holds several flash regions (e.g. bootloader and app); convert only the app region.',
      code: 'hex-sparse',
    });
  }
  const out = Buffer.alloc(end - baseAddress, gapFill);
  const written = new Uint8Array(Math.ceil((end - baseAddress) / 8));
  for (const chunk of chunks) {
    const start = chunk.address - baseAddress;
    for (let at = start; at < start + chunk.bytes.length; at++) {
      const bit = 1 << (at & 7);
      if (written[at >> 3]! & bit) throw overlapError(chunks, chunk, baseAddress + at, file);
      written[at >> 3]! |= bit;
    }
    chunk.bytes.copy(out, start);
  }
  return { baseAddress, data: out, ...(startAddress !== undefined ? { startAddress } : {}) };
}
