import { OtaError } from '../errors';
import type { ProgressCallback } from '../logger';
import { parseMcubootImage } from '../image/mcubootImage';
import type { McubootVersion } from '../image/mcubootVersion';
import type { SigningKey } from './loadKey';
import { signMcubootImage } from './mcubootSign';
import type { McubootSignResult } from './mcubootSign';

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
 * --pad-header does. Slot padding and trailer (imgtool --pad) are not: the result is the image.
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
    ...(options.hmacSecret ? { hmacSecret: options.hmacSecret } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
}
