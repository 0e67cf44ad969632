import { readFile } from 'node:fs/promises';
import type { Channel } from '../config/model';
import { OtaError } from '../errors';
import { inspectImage } from '../image/inspectImage';
import { embeddedVersionOf } from '../verify/verifyFirmware';
import { readChannelLabel } from './channelVersion';

/**
 * The label a push uses when none is given: the version embedded in the image, else the channel's
 * own version source; never a made-up 0.0.0. The headers sit at the start, but the parsers check
 * the whole image, so this reads it (only when no label was given; the upload itself streams).
 */
export async function labelForPush(file: string, channel?: Channel, folder?: string): Promise<string> {
  const bytes = await readFile(file);
  let embedded: string | undefined;
  try {
    embedded = embeddedVersionOf(inspectImage(bytes, file, 'auto'));
  } catch {
    embedded = undefined;
  }
  if (embedded) return embedded;
  if (channel && folder !== undefined && channel.version.source !== 'image') return (await readChannelLabel(channel, folder)).label;
  throw new OtaError(`${file} has no embedded version (not an ESP-IDF or MCUboot image) and no --label was given`, {
    where: file,
    code: 'usage',
    hint: 'pass --label VERSION (a release is never pushed as a silent 0.0.0)',
  });
}
