import { OtaError } from '../errors';
import { StreamDigests } from '../hashing/streamDigests';
import { byteLocation } from '../image/imageError';
import { inspectImage } from '../image/inspectImage';
import type { ImageFormatChoice, ImageInfo } from '../image/inspectImage';
import type { ReleaseManifest } from '../release/manifest';
import { verifyManifestSignature } from '../release/signManifest';
import type { VerifyingKey } from '../signing/loadKey';
import { verifyMcubootSignature } from '../signing/mcubootVerify';
import { TlvType } from '../image/mcubootLayout';

export type CheckStatus = 'ok' | 'failed' | 'skipped';

export interface Check {
  /** Stable name scripts can match: structure, checksum, sha256, signature, manifest.sha256, … */
  name: string;
  status: CheckStatus;
  detail: string;
  where?: string;
}

export interface VerifyReport {
  file: string;
  ok: boolean;
  format?: ImageInfo['format'];
  embeddedVersion?: string;
  checks: Check[];
}

export interface VerifyInput {
  bytes: Buffer;
  file: string;
  format?: ImageFormatChoice;
  key?: VerifyingKey;
  manifest?: { value: ReleaseManifest; path: string };
  hmacSecret?: Buffer;
}

export function embeddedVersionOf(info: ImageInfo): string | undefined {
  if (info.format === 'mcuboot') return info.versionText;
  if (info.format === 'esp-idf') return info.appDescription?.version;
  return undefined;
}

/**
 * Every check a bootloader or the OTA path would make, each reported on its own so the user
 * sees exactly which one failed and at which byte: structure, checksum and hashes, signature,
 * and the release manifest's claims about this file.
 */
export function verifyFirmware(input: VerifyInput): VerifyReport {
  const { bytes, file } = input;
  const checks: Check[] = [];
  const add = (name: string, status: CheckStatus, detail: string, where?: string) => checks.push({ name, status, detail, ...(where ? { where } : {}) });
  let info: ImageInfo | undefined;
  try {
    info = inspectImage(bytes, file, input.format ?? 'auto');
    add('structure', 'ok', `${info.format} image, ${info.size} bytes`);
  } catch (err) {
    if (!(err instanceof OtaError)) throw err;
    add('structure', 'failed', `${err.message}. ${err.hint ?? ''}`.trim(), err.where);
  }
  if (info?.format === 'esp-idf') {
    const c = info.checksum;
    const hex = (n: number) => `0x${n.toString(16).padStart(2, '0')}`;
    add('checksum', c.ok ? 'ok' : 'failed', c.ok ? `XOR checksum ${hex(c.stored)}` : `XOR checksum is ${hex(c.stored)}, the segments give ${hex(c.computed)}: segment data was changed`, c.ok ? undefined : byteLocation(file, c.offset));
    if (info.sha256) {
      const s = info.sha256;
      add('sha256', s.ok ? 'ok' : 'failed', s.ok ? `appended SHA-256 ${s.stored}` : `appended SHA-256 is ${s.stored}, the image gives ${s.computed}`, s.ok ? undefined : byteLocation(file, s.regionEnd));
    } else {
      add('sha256', 'skipped', 'hash_appended is 0: the image carries no SHA-256');
    }
    add('signature', 'skipped', info.trailingBytes > 0 ? `${info.trailingBytes} bytes follow the image (Secure Boot signature block); check it with espsecure.py` : 'ESP-IDF app images carry no MCUboot signature');
  }
  if (info?.format === 'mcuboot') {
    const shaTlv = info.tlvs.find((t) => t.type === TlvType.sha256);
    if (!info.sha256 || !shaTlv) add('sha256', 'failed', 'the image has no SHA256 TLV; MCUboot refuses it', byteLocation(file, info.tlvAreaOffset));
    else if (info.sha256.ok) add('sha256', 'ok', `SHA256 TLV ${info.sha256.stored} matches header + payload`);
    else add('sha256', 'failed', `SHA256 TLV is ${info.sha256.stored}, header + payload give ${info.sha256.computed}: the image was changed after signing`, byteLocation(file, shaTlv.offset));
    if (input.key) {
      const sig = verifyMcubootSignature(bytes, info, input.key, file);
      add('signature', sig.ok ? 'ok' : 'failed', sig.detail, sig.where);
    } else {
      add('signature', 'skipped', info.signature ? `${info.signature.name} by key ${info.keyHash ?? '(no KEYHASH)'}; pass -k KEY to check it` : 'the image is unsigned');
    }
  }
  if (input.manifest) checkManifest(input, info, add);
  return {
    file,
    ok: checks.every((c) => c.status !== 'failed'),
    ...(info ? { format: info.format } : {}),
    ...(info && embeddedVersionOf(info) !== undefined ? { embeddedVersion: embeddedVersionOf(info)! } : {}),
    checks,
  };
}

function checkManifest(input: VerifyInput, info: ImageInfo | undefined, add: (name: string, status: CheckStatus, detail: string, where?: string) => void): void {
  const { value: m, path } = input.manifest!;
  const digests = new StreamDigests(input.hmacSecret);
  digests.update(input.bytes);
  const actual = digests.finish();
  const compare = (name: string, claimed: string | number, found: string | number, what: string) =>
    add(`manifest.${name}`, claimed === found ? 'ok' : 'failed', claimed === found ? `${what} ${found}` : `manifest says ${what} ${claimed}, the file has ${found}`, claimed === found ? undefined : path);
  compare('size', m.size, actual.size, 'size');
  compare('md5', m.md5, actual.md5, 'MD5');
  compare('sha256', m.sha256, actual.sha256, 'SHA-256');
  if (m.hmacSha256 === undefined) add('manifest.hmac', 'skipped', 'the manifest has no HMAC (no device secret configured)');
  else if (!actual.hmacSha256) add('manifest.hmac', 'skipped', 'the manifest has an HMAC; give the device secret (--hmac-secret-env NAME) to check it');
  else compare('hmac', m.hmacSha256, actual.hmacSha256, 'HMAC-SHA256');
  if (info) {
    compare('format', m.format, info.format, 'format');
    const embedded = embeddedVersionOf(info);
    if (embedded !== undefined) compare('embeddedVersion', m.embeddedVersion, embedded, 'embedded version');
    if (info.format === 'mcuboot' && info.keyHash) compare('keyId', m.keyId, info.keyHash, 'signing key');
  }
  if (input.key) {
    const sig = verifyManifestSignature(m, input.key);
    add('manifest.signature', sig.ok ? 'ok' : 'failed', sig.detail, sig.ok ? undefined : path);
  } else {
    add('manifest.signature', 'skipped', `signed by key ${m.keyId}; pass -k KEY to check it`);
  }
}
