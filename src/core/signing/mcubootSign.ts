import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { writeAtomically } from '../files/atomicOutput';
import type { AtomicOutput } from '../files/atomicOutput';
import { bufferChunks, readChunks, throwIfAborted } from '../files/readChunks';
import { ParallelStreamDigests } from '../hashing/parallelStreamDigests';
import type { Digests } from '../hashing/streamDigests';
import { OtaError } from '../errors';
import type { ProgressCallback } from '../logger';
import { readImageFile, unreadable } from '../image/readImageFile';
import { mcubootHeaderStructSize, mcubootMagic, protectedTlvInfoMagic, tlvInfoMagic, TlvType } from '../image/mcubootLayout';
import { mcubootPaddedTrailer, mcubootTrailerSize, defaultMaxSectors } from '../image/mcubootTrailer';
import { formatMcubootVersion, writeMcubootVersion } from '../image/mcubootVersion';
import type { McubootVersion } from '../image/mcubootVersion';
import { createImageSigner } from './imageSigner';
import { mcubootPublicKeyBytes, signatureTlvForKind } from './keyKind';
import type { SigningKey } from './loadKey';

export interface McubootSignOptions {
  /** Binary or Intel HEX (.hex) build output; only a label for messages when `inputBytes` is given. */
  input: string;
  /** The payload already in memory (re-stamping an existing image), instead of reading `input`. */
  inputBytes?: Buffer;
  output: string;
  /** false: no fsync of the output (see AtomicOutputOptions.durable); releases keep the default, true. */
  durable?: boolean;
  /**
   * The process signs this one image and exits (ota sign): MD5 of an image below inlineMd5Below
   * runs on this thread instead of a worker thread that would first have to boot.
   */
  oneShot?: boolean;
  /** Without a key the image gets only the SHA256 TLV (imgtool sign without -k). */
  key?: SigningKey;
  version: McubootVersion;
  headerSize: number;
  /** Prepend `headerSize` bytes for the header; otherwise the input must start with that many zero bytes. */
  padHeader: boolean;
  /** When set, refuse an image that leaves no room for the swap trailer in a slot of this size. */
  slotSize?: number;
  align?: number;
  maxSectors?: number;
  loadAddress?: number;
  /** A security counter in a protected TLV (imgtool --security-counter); `auto` derives it from the version as imgtool does. */
  securityCounter?: number | 'auto';
  /** Pad the file to `slotSize` and end it with the swap trailer's boot magic (imgtool --pad): flashed into the secondary slot, MCUboot sees a pending upgrade. */
  pad?: boolean;
  /** Also set image_ok in that trailer (imgtool --confirm; implies `pad`). */
  confirm?: boolean;
  /** Header flags; by default RAM_LOAD when a load address is given (as imgtool sets it), else 0. */
  flags?: number;
  /** Also HMAC the output file in the same pass (the release's device secret). */
  hmacSecret?: Buffer;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

export interface McubootSignResult {
  output: string;
  version: string;
  keyId?: string;
  imageSize: number;
  tlvAreaSize: number;
  /** The SHA256 TLV: header + payload. */
  imageSha256: string;
  /** MD5 / SHA-256 / HMAC of the whole output file, for the release manifest. */
  file: Digests;
}

/** imgtool fills the padded header with the erased-flash value (0xff), then writes the 32-byte struct. */
const erasedValue = 0xff;
const ramLoadFlag = 0x20;

interface PayloadSource {
  size: number;
  /** Bytes 0..headerSize of the input when it carries its own (zeroed) header area. */
  head: Buffer;
  chunks(start: number, options: { signal?: AbortSignal; onProgress?: ProgressCallback }): AsyncIterable<Buffer> | Iterable<Buffer>;
}

function bufferSource(bytes: Buffer, headerBytes: number): PayloadSource {
  return { size: bytes.length, head: bytes.subarray(0, headerBytes), chunks: (start, o) => bufferChunks(bytes, { ...o, start }) };
}

async function openSource(input: string, headerBytes: number): Promise<PayloadSource> {
  const ext = extname(input).toLowerCase();
  if (ext === '.hex' || ext === '.ihex') {
    return bufferSource((await readImageFile(input)).bytes, headerBytes);
  }
  let handle;
  try {
    handle = await open(input, 'r');
  } catch (err) {
    throw unreadable(input, err);
  }
  try {
    const size = (await handle.stat()).size;
    const head = Buffer.alloc(Math.min(headerBytes, size));
    await handle.read(head, 0, head.length, 0);
    return { size, head, chunks: (start, o) => readChunks(input, { ...o, start }) };
  } finally {
    await handle.close();
  }
}

function tlv(type: number, value: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16LE(type, 0);
  head.writeUInt16LE(value.length, 2);
  return Buffer.concat([head, value]);
}

function tlvArea(magic: number, entries: readonly Buffer[]): Buffer {
  const area = Buffer.concat([Buffer.alloc(4), ...entries]);
  area.writeUInt16LE(magic, 0);
  area.writeUInt16LE(area.length, 2);
  return area;
}

/**
 * The protected TLV area (covered by the hash and the signature), or an empty buffer. MCUboot's
 * downgrade prevention compares the security counter, not the version.
 */
function protectedTlvs(options: McubootSignOptions): Buffer {
  const given = options.securityCounter;
  if (given === undefined) return Buffer.alloc(0);
  const { major, minor, revision } = options.version;
  const counter = given === 'auto' ? major * 2 ** 24 + minor * 2 ** 16 + revision : given;
  if (!Number.isInteger(counter) || counter < 0 || counter > 0xffffffff) {
    throw new OtaError(`security counter ${String(given)} is not a 32-bit unsigned number`, { hint: 'Pass --security-counter N (0 to 4294967295) or auto.', code: 'usage' });
  }
  const value = Buffer.alloc(4);
  value.writeUInt32LE(counter, 0);
  return tlvArea(protectedTlvInfoMagic, [tlv(TlvType.securityCounter, value)]);
}

/**
 * Signs a build output into an MCUboot image, byte-compatible with `imgtool sign` 2.x for the
 * options it shares: header (padded with 0xff), payload, the protected TLVs (security counter),
 * then a TLV area of SHA256, KEYHASH and the signature, and with `pad` erased bytes up to the slot
 * size ending in the swap trailer. The input is read once; header, payload and TLVs are written to a temp file renamed
 * into place only when everything succeeded.
 */
export async function signMcubootImage(options: McubootSignOptions): Promise<McubootSignResult> {
  const { headerSize, padHeader } = options;
  if (headerSize < mcubootHeaderStructSize || headerSize > 0xffff) {
    throw new OtaError(`header size ${headerSize} must be between ${mcubootHeaderStructSize} and 65535`, { hint: 'MCUboot builds usually use --header-size 0x200.', code: 'usage' });
  }
  const headBytes = padHeader ? 0 : headerSize;
  const source = options.inputBytes ? bufferSource(options.inputBytes, headBytes) : await openSource(options.input, headBytes);
  const imageSize = padHeader ? source.size : source.size - headerSize;
  if (imageSize <= 0) {
    throw new OtaError(`the input has no payload after a ${headerSize}-byte header`, { where: options.input, hint: 'Pass --pad-header if the build output does not reserve room for the header.', code: 'image-truncated' });
  }
  if (!padHeader && source.head.some((b) => b !== 0)) {
    throw new OtaError('header padding was not requested and the image does not start with zeros', {
      where: options.input,
      hint: `Pass --pad-header, or build with room for a ${headerSize}-byte header at the start (e.g. CONFIG_ROM_START_OFFSET).`,
      code: 'image-header-not-empty',
    });
  }
  const key = options.key;
  const keyHash = key ? createHash('sha256').update(mcubootPublicKeyBytes(key.kind, key.publicKey)).digest() : undefined;
  const align = options.align ?? 1;
  const pad = options.pad === true || options.confirm === true;
  if (pad && !options.slotSize) {
    throw new OtaError(`${options.confirm ? '--confirm pads the image' : '--pad'} but no slot size was given`, { hint: 'Pass --slot-size with the size of the secondary slot.', code: 'usage' });
  }
  const trailer = options.slotSize ? mcubootTrailerSize(align, options.maxSectors ?? defaultMaxSectors) : 0;
  const protectedArea = protectedTlvs(options);
  const checkSlot = (tlvBytes: number) => {
    if (!options.slotSize) return;
    const total = headerSize + imageSize + protectedArea.length + tlvBytes;
    if (total + trailer > options.slotSize) {
      throw new OtaError(
        `image (0x${total.toString(16)} bytes) + trailer (0x${trailer.toString(16)}) exceeds the slot size 0x${options.slotSize.toString(16)}`,
        { where: options.input, hint: 'Make the image smaller, or pass the real slot size of the flash partition (--slot-size).', code: 'image-too-large' },
      );
    }
  };
  // Cheapest possible TLV area first, so an image that cannot fit fails before it is read.
  checkSlot(4 + 36 + (key ? 36 + 4 + 64 : 0));

  const header = Buffer.alloc(headerSize, erasedValue);
  if (!padHeader) source.head.copy(header);
  header.writeUInt32LE(mcubootMagic, 0);
  header.writeUInt32LE(options.loadAddress ?? 0, 4);
  header.writeUInt16LE(headerSize, 8);
  header.writeUInt16LE(protectedArea.length, 10);
  header.writeUInt32LE(imageSize, 12);
  header.writeUInt32LE(options.flags ?? (options.loadAddress ? ramLoadFlag : 0), 16);
  writeMcubootVersion(header, 20, options.version);
  header.writeUInt32LE(0, 28);

  return writeAtomically(options.output, async (out) => {
    const digests = new ParallelStreamDigests(options.hmacSecret, options.oneShot ? (pad ? options.slotSize : headerSize + imageSize) : undefined);
    try {
      return await writeSignedImage(out, digests, { options, source, header, imageSize, keyHash, protectedArea, pad, checkSlot });
    } catch (err) {
      digests.abandon();
      throw err;
    }
  }, { durable: options.durable !== false });
}

interface WriteJob {
  options: McubootSignOptions;
  source: PayloadSource;
  header: Buffer;
  imageSize: number;
  keyHash: Buffer | undefined;
  protectedArea: Buffer;
  pad: boolean;
  checkSlot: (tlvBytes: number) => void;
}

/** Header, payload and TLVs into `out`, each chunk hashed (and for ECDSA signed) as it passes. */
async function writeSignedImage(out: AtomicOutput, digests: ParallelStreamDigests, job: WriteJob): Promise<McubootSignResult> {
  const { options, source, header, imageSize, keyHash } = job;
  const key = options.key;
  const signer = key ? createImageSigner(key) : undefined;
  // One write stays in flight while the next chunk is hashed; the reader's ring keeps the chunk
  // being written untouched until that write has been awaited here.
  let writing: Promise<void> = Promise.resolve();
  const feed = async (chunk: Buffer) => {
    const hashed = digests.update(chunk);
    signer?.update(chunk);
    await writing;
    writing = out.write(chunk);
    await hashed;
  };
  await feed(header);
  const onProgress = options.onProgress;
  for await (const chunk of source.chunks(options.padHeader ? 0 : options.headerSize, {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(onProgress ? { onProgress: (p: { done?: number }) => onProgress({ message: 'signing', done: p.done ?? 0, total: source.size }) } : {}),
  })) {
    await feed(chunk);
  }
  await writing;
  throwIfAborted(options.signal);
  if (out.size !== options.headerSize + imageSize) {
    throw new OtaError('the input changed size while it was being signed', { where: options.input, hint: 'Sign again once the build has finished writing it.', code: 'input-changed' });
  }
  // Protected TLVs are hashed and signed with the image.
  if (job.protectedArea.length > 0) await feed(job.protectedArea);
  await writing;
  const imageSha256 = digests.sha256SoFar();
  const entries = [tlv(TlvType.sha256, imageSha256)];
  if (key && signer && keyHash) {
    entries.push(tlv(TlvType.keyHash, keyHash), tlv(signatureTlvForKind[key.kind], signer.sign(imageSha256)));
  }
  const area = tlvArea(tlvInfoMagic, entries);
  job.checkSlot(area.length);
  // The TLVs, padding and trailer are not signed, but they are part of the file the manifest describes.
  const append = async (bytes: Buffer) => {
    const hashed = digests.update(bytes);
    await out.write(bytes);
    await hashed;
  };
  await append(area);
  if (job.pad) {
    const trailer = mcubootPaddedTrailer(options.align ?? 1, options.maxSectors ?? defaultMaxSectors, erasedValue, options.confirm === true);
    // checkSlot made sure image + trailer fit, so the padding is never negative.
    const padding = options.slotSize! - out.size - trailer.length;
    const filler = Buffer.alloc(Math.min(1 << 20, padding), erasedValue);
    for (let left = padding; left > 0; left -= filler.length) await append(filler.subarray(0, Math.min(left, filler.length)));
    await append(trailer);
  }
  return {
    output: options.output,
    version: formatMcubootVersion(options.version),
    ...(key ? { keyId: key.keyId } : {}),
    imageSize,
    tlvAreaSize: area.length,
    imageSha256: imageSha256.toString('hex'),
    file: await digests.finish(),
  };
}
