import { OtaError } from '../errors';

/** imgtool's defaults: 128 sectors of swap status, trailer fields aligned to at least 8 bytes. */
export const defaultMaxSectors = 128;
const defaultMaxAlign = 8;
const bootMagicSize = 16;
export const validAligns: readonly number[] = [1, 2, 4, 8, 16, 32];

function alignUp(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

/**
 * Bytes MCUboot reserves at the end of a slot for its swap trailer (status area, image_ok,
 * copy_done, swap_info, swap_size, magic), computed as imgtool does for the swap modes.
 */
export function mcubootTrailerSize(align: number, maxSectors = defaultMaxSectors): number {
  if (!validAligns.includes(align)) {
    throw new OtaError(`--align ${align} is not a flash write size MCUboot supports`, { hint: `Use one of ${validAligns.join(', ')}.`, code: 'usage' });
  }
  const maxAlign = Math.max(defaultMaxAlign, align);
  return maxSectors * 3 * align + maxAlign * 4 + alignUp(bootMagicSize, maxAlign);
}

/** The swap trailer's last 16 bytes: MCUboot's boot magic (the 8-byte-alignment form, or one that carries a larger write size). */
export function mcubootBootMagic(align: number): Buffer {
  const maxAlign = Math.max(defaultMaxAlign, align);
  if (maxAlign === defaultMaxAlign) return Buffer.from('77c295f360d2ef7f3552500f2cb67980', 'hex');
  const magic = Buffer.from('00002de15d29410b8d77679c110f1f8a', 'hex');
  magic.writeUInt16LE(maxAlign, 0);
  return magic;
}

/**
 * The trailer written at the end of a padded slot image (imgtool --pad): erased bytes, then the
 * boot magic, so MCUboot sees an upgrade waiting in the secondary slot; with `confirm`, image_ok
 * is set too (the image need not confirm itself after its first boot).
 */
export function mcubootPaddedTrailer(align: number, maxSectors: number, erased: number, confirm: boolean): Buffer {
  const size = mcubootTrailerSize(align, maxSectors);
  const trailer = Buffer.alloc(size, erased);
  const magic = mcubootBootMagic(align);
  magic.copy(trailer, size - magic.length);
  if (confirm) {
    const maxAlign = Math.max(defaultMaxAlign, align);
    // image_ok sits one max-align unit before the (aligned) magic.
    trailer[size - alignUp(bootMagicSize, maxAlign) - maxAlign] = 0x01;
  }
  return trailer;
}

/** What the swap trailer at the end of a padded slot image says, when the file ends in boot magic. */
export interface SlotTrailer {
  /** The flash write size the magic was made for (8 for the classic form). */
  maxAlign: number;
  /** image_ok is set (imgtool --confirm): the image stays without confirming itself. */
  confirmed: boolean;
}

/** Reads the trailer of a file padded to its slot (imgtool --pad); undefined when it does not end in boot magic. */
export function readSlotTrailer(bytes: Buffer, trailingStart: number): SlotTrailer | undefined {
  if (bytes.length - trailingStart < bootMagicSize) return undefined;
  const magic = bytes.subarray(bytes.length - bootMagicSize);
  let maxAlign: number | undefined;
  if (magic.equals(mcubootBootMagic(defaultMaxAlign))) maxAlign = defaultMaxAlign;
  else {
    const claimed = magic.readUInt16LE(0);
    if (claimed > defaultMaxAlign && validAligns.includes(claimed) && magic.equals(mcubootBootMagic(claimed))) maxAlign = claimed;
  }
  if (maxAlign === undefined) return undefined;
  const imageOk = bytes.length - alignUp(bootMagicSize, maxAlign) - maxAlign;
  return { maxAlign, confirmed: imageOk >= trailingStart && bytes[imageOk] === 0x01 };
}
