import { OtaError } from '../errors';
import { looksLikeEspIdfImage, parseEspIdfImage } from './espIdfImage';
import type { EspIdfImage } from './espIdfImage';
import { looksLikeMcubootImage, parseMcubootImage } from './mcubootImage';
import type { McubootImage } from './mcubootImage';

export interface RawImage {
  format: 'raw';
  size: number;
}

export type ImageInfo = EspIdfImage | McubootImage | RawImage;
export type ImageFormat = ImageInfo['format'];
export type ImageFormatChoice = ImageFormat | 'auto';

export const imageFormatChoices: readonly ImageFormatChoice[] = ['auto', 'esp-idf', 'mcuboot', 'raw'];

export function parseImageFormatChoice(text: string | undefined): ImageFormatChoice {
  if (text === undefined) return 'auto';
  if ((imageFormatChoices as readonly string[]).includes(text)) return text as ImageFormatChoice;
  throw new OtaError(`unknown image format '${text}'`, { hint: `Use one of: ${imageFormatChoices.join(', ')}.`, code: 'usage' });
}

/**
 * Reads an image as the given format, or detects it by magic. With an explicit format a wrong
 * magic is an error; detection falls back to raw for anything that is neither MCUboot nor ESP-IDF.
 */
export function inspectImage(bytes: Buffer, file: string, format: ImageFormatChoice = 'auto'): ImageInfo {
  if (format === 'mcuboot' || (format === 'auto' && looksLikeMcubootImage(bytes))) return parseMcubootImage(bytes, file);
  if (format === 'esp-idf' || (format === 'auto' && looksLikeEspIdfImage(bytes))) return parseEspIdfImage(bytes, file);
  if (bytes.length === 0) {
    throw new OtaError('the firmware file is empty', { where: file, hint: 'Rebuild; an empty file is never a valid image.', code: 'image-empty' });
  }
  return { format: 'raw', size: bytes.length };
}
