import { readCString } from '../../core/image/bytes';
import { espChipName } from '../../core/image/espChips';
import { espAppDesc, espImageMagic } from '../../core/image/espIdfLayout';
import { mcubootMagic } from '../../core/image/mcubootLayout';
import { readMcubootVersion } from '../../core/image/mcubootVersion';
import type { McubootVersion } from '../../core/image/mcubootVersion';

/** What a bootloader or an OTA library reads from the first bytes of an image. */
export type EmbeddedVersion =
  | { format: 'esp-idf'; version: string; secureVersion: number; projectName: string; elfSha256: string; idfVersion: string; chip: string }
  | { format: 'mcuboot'; version: string; mcuboot: McubootVersion }
  | { format: 'unknown'; version: undefined };

/** How many leading bytes `readEmbeddedVersion` needs: enough for esp_app_desc_t and an MCUboot header. */
export const embeddedVersionHeaderBytes = 512;

/**
 * Reads the version *inside* the image, which is what a device runs and reports, whatever label
 * the server gave the release (the seed's stress and rollback tests hinge on the difference).
 */
export function readEmbeddedVersion(head: Buffer): EmbeddedVersion {
  if (head.length >= 32 && head.readUInt32LE(0) === mcubootMagic) {
    const v = readMcubootVersion(head, 20);
    // Devices print "1.2.3" and add "+build" only when there is one.
    const text = `${v.major}.${v.minor}.${v.revision}${v.build ? `+${v.build}` : ''}`;
    return { format: 'mcuboot', version: text, mcuboot: v };
  }
  if (head.length >= espAppDesc.end && head[0] === espImageMagic && head.readUInt32LE(espAppDesc.offset) === espAppDesc.magic) {
    return {
      format: 'esp-idf',
      version: readCString(head, espAppDesc.versionOffset, espAppDesc.versionSize),
      secureVersion: head.readUInt32LE(espAppDesc.secureVersionOffset),
      projectName: readCString(head, espAppDesc.projectNameOffset, 32),
      idfVersion: readCString(head, espAppDesc.idfVersionOffset, 32),
      elfSha256: head.subarray(espAppDesc.elfSha256Offset, espAppDesc.elfSha256Offset + 32).toString('hex'),
      chip: espChipName(head.readUInt16LE(12)),
    };
  }
  return { format: 'unknown', version: undefined };
}
