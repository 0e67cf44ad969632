import { createHmac } from 'node:crypto';

/**
 * A per-device integrity tag that costs nothing per device: HMAC-SHA256 under the device's own
 * secret over the image's 32-byte SHA-256 digest (not over the image). The image is hashed once
 * for the release; each device's tag is then one HMAC over 32 bytes, so a fleet of N devices
 * never means N passes over a 16 MiB image. The device computes SHA-256 while it downloads
 * (it has to for the manifest check anyway) and then the same HMAC over that digest.
 *
 * A single product-wide secret (the seed's "integrity by HMAC") is instead applied to the image
 * bytes themselves by StreamDigests, in the same pass as MD5 and SHA-256, because that is what
 * existing device code computes.
 */
export function deviceHmacSha256(deviceSecret: Buffer, imageSha256Hex: string): string {
  return createHmac('sha256', deviceSecret).update(Buffer.from(imageSha256Hex, 'hex')).digest('hex');
}
