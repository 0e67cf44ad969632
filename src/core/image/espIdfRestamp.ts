import { createHash } from 'node:crypto';
import { OtaError } from '../errors';
import { espChecksum, parseEspIdfImage } from './espIdfImage';
import type { EspIdfImage } from './espIdfImage';
import { espAppDesc } from './espIdfLayout';

export interface EspRestampOptions {
  version: string;
  /** Anti-rollback counter; unchanged when absent. */
  secureVersion?: number;
}

/**
 * Writes a new `esp_app_desc_t.version` (and optionally `secure_version`) into an ESP-IDF app
 * image, then recomputes what the bootloader checks: the XOR checksum and the appended SHA-256.
 * Returns a new buffer; the input is not modified. The result parses with all checks passing.
 */
export function restampEspIdfImage(bytes: Buffer, file: string, options: EspRestampOptions): { bytes: Buffer; image: EspIdfImage; previousVersion: string } {
  const before = parseEspIdfImage(bytes, file);
  if (!before.appDescription) {
    throw new OtaError('no esp_app_desc_t in the first segment, so there is no version to re-stamp', {
      where: file,
      hint: 'Re-stamp the application image (build/<project>.bin), not the bootloader or partition table.',
      code: 'restamp-unsupported',
    });
  }
  if (before.trailingBytes > 0) {
    throw new OtaError(`the image carries ${before.trailingBytes} bytes after its hash (a Secure Boot signature block) that re-stamping would invalidate`, {
      where: file,
      hint: 'Re-stamp the unsigned build output, then sign it again (espsecure.py sign_data).',
      code: 'restamp-signed',
    });
  }
  const encoded = Buffer.from(options.version, 'latin1');
  if (encoded.length > espAppDesc.versionSize - 1 || /[^\x20-\x7e]/.test(options.version)) {
    throw new OtaError(`ESP-IDF version '${options.version}' must be printable ASCII of at most ${espAppDesc.versionSize - 1} characters`, {
      hint: 'esp_app_desc_t.version is a NUL-terminated char[32].',
      code: 'version-invalid',
    });
  }
  const out = Buffer.from(bytes);
  out.fill(0, espAppDesc.versionOffset, espAppDesc.versionOffset + espAppDesc.versionSize);
  encoded.copy(out, espAppDesc.versionOffset);
  if (options.secureVersion !== undefined) out.writeUInt32LE(options.secureVersion, espAppDesc.secureVersionOffset);
  out[before.checksum.offset] = espChecksum(out, before.segments);
  if (before.sha256) {
    createHash('sha256').update(out.subarray(0, before.sha256.regionEnd)).digest().copy(out, before.sha256.regionEnd);
  }
  return { bytes: out, image: parseEspIdfImage(out, file), previousVersion: before.appDescription.version };
}
