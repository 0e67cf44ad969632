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
