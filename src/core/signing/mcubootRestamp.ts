import { OtaError } from '../errors';
import type { ProgressCallback } from '../logger';
import { parseMcubootImage } from '../image/mcubootImage';
import type { McubootVersion } from '../image/mcubootVersion';
import type { SigningKey } from './loadKey';
import { signMcubootImage } from './mcubootSign';
import type { McubootSignOptions, McubootSignResult } from './mcubootSign';
import type { SlotTrailer } from '../image/mcubootTrailer';

export interface McubootRestampOptions {
  bytes: Buffer;
  file: string;
  output: string;
  version: McubootVersion;
  /** The key to sign with again; the old signature covers the old version and cannot be kept. */
  key?: SigningKey;
  hmacSecret?: Buffer;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

/**
 * Puts a new version into an MCUboot header and signs the image again. The payload, header size,
 * load address, flags and security counter are kept; the header area is refilled as imgtool
 * --pad-header does. A slot-padded image (imgtool --pad, --confirm) stays one: same file size,
 * erased padding, the swap trailer with its boot magic and image_ok as they were.
 */
export async function restampMcubootImage(options: McubootRestampOptions): Promise<McubootSignResult> {
  const image = parseMcubootImage(options.bytes, options.file);
  // A security counter is carried over unchanged: a new label is not a new security epoch, and a
  // device that has seen a higher counter must still refuse the image (as it would the original).
  const otherProtected = image.tlvs.filter((t) => t.protected && t.name !== 'SEC_CNT');
  if (otherProtected.length > 0) {
    throw new OtaError(`the image has protected TLVs (${otherProtected.map((t) => t.name).join(', ')}) that re-stamping cannot carry over`, {
      where: options.file,
      hint: 'Sign the unsigned build output again with imgtool and the new --version (and its --dependencies / --boot-record).',
      code: 'restamp-unsupported',
    });
  }
  if (image.signature && !options.key) {
    throw new OtaError(`the image is signed (${image.signature.name}); changing its version needs the signing key`, {
      where: options.file,
      hint: 'Pass -k with the key the bootloader trusts (its ID must be the image key hash).',
      code: 'key-missing',
    });
  }
  if (image.keyHash && options.key && image.keyHash !== options.key.keyId) {
    throw new OtaError(`the image was signed by key ${image.keyHash}, but ${options.key.label} is key ${options.key.keyId}`, {
      where: options.file,
      hint: 'Re-sign with the key the device bootloader trusts, or the device will refuse the image.',
      code: 'key-mismatch',
    });
  }
  const slot = slotPadding(options.bytes, image.trailingBytes, image.slotTrailer, options.file);
  return signMcubootImage({
    input: options.file,
    inputBytes: options.bytes.subarray(image.headerSize, image.headerSize + image.imageSize),
    output: options.output,
    ...(options.key ? { key: options.key } : {}),
    version: options.version,
    headerSize: image.headerSize,
    padHeader: true,
    loadAddress: image.loadAddress,
    flags: image.flags,
    ...(image.securityCounter !== undefined ? { securityCounter: image.securityCounter } : {}),
    ...slot,
    ...(options.hmacSecret ? { hmacSecret: options.hmacSecret } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
}

/**
 * How to pad the re-signed image as the original was. In the trailer imgtool writes, only the
 * boot magic and image_ok are not erased, and where they sit depends on the magic's alignment
 * alone: padding to the same slot size with that alignment gives the same trailer bytes. The
 * status area's size (align × sectors) is not recorded in the file; align 1 is the smallest.
 */
function slotPadding(bytes: Buffer, trailingBytes: number, trailer: SlotTrailer | undefined, file: string): Pick<McubootSignOptions, 'pad' | 'confirm' | 'slotSize' | 'align'> {
  if (trailingBytes === 0) return {};
  if (!trailer) {
    throw new OtaError(`the image has ${trailingBytes} bytes after its TLV area that are not an MCUboot slot trailer (no boot magic at the end)`, {
      where: file,
      hint: 'Re-stamp the image as the build wrote it (without the extra bytes), then pad it again with imgtool --pad or ota sign --pad.',
      code: 'restamp-unsupported',
    });
  }
  // imgtool pads with the erased value (0xff, or 0 with --erased-val 0); we write 0xff.
  const fill = bytes[bytes.length - bootMagicBytes - 1];
  if (fill !== 0xff) {
    throw new OtaError(`the slot padding is 0x${(fill ?? 0).toString(16).padStart(2, '0')} bytes, and re-stamping pads with 0xff`, {
      where: file,
      hint: 'Re-stamp the unpadded image, then pad it with imgtool --pad --erased-val as your flash needs.',
      code: 'restamp-unsupported',
    });
  }
  return { pad: true, confirm: trailer.confirmed, slotSize: bytes.length, align: trailer.maxAlign > 8 ? trailer.maxAlign : 1 };
}

const bootMagicBytes = 16;
