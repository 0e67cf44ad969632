import { createHash } from 'node:crypto';
import { hex } from './bytes';
import { imageError } from './imageError';
import {
  mcubootFlagNames,
  mcubootHeaderStructSize,
  mcubootMagic,
  protectedTlvInfoMagic,
  signatureTlvTypes,
  tlvEntryHeaderSize,
  tlvInfoMagic,
  tlvInfoSize,
  tlvName,
  TlvType,
} from './mcubootLayout';
import { readSlotTrailer } from './mcubootTrailer';
import type { SlotTrailer } from './mcubootTrailer';
import { formatMcubootVersion, readMcubootVersion } from './mcubootVersion';
import type { McubootVersion } from './mcubootVersion';

export interface McubootTlv {
  type: number;
  name: string;
  /** File offset of the TLV's 4-byte header; the value starts 4 bytes later. */
  offset: number;
  length: number;
  protected: boolean;
}

export interface McubootImage {
  format: 'mcuboot';
  size: number;
  loadAddress: number;
  headerSize: number;
  protectedTlvSize: number;
  imageSize: number;
  flags: number;
  flagNames: string[];
  version: McubootVersion;
  versionText: string;
  /** Bytes the SHA256 TLV and the signature cover: header + payload + protected TLVs. */
  hashedLength: number;
  tlvAreaOffset: number;
  tlvAreaSize: number;
  tlvs: McubootTlv[];
  sha256?: { stored: string; computed: string; ok: boolean };
  keyHash?: string;
  securityCounter?: number;
  signature?: { type: number; name: string; length: number };
  /** Bytes after the TLV area: slot padding and the swap trailer when imgtool ran with --pad. */
  trailingBytes: number;
  /** The swap trailer, when those bytes end in MCUboot's boot magic. */
  slotTrailer?: SlotTrailer;
}

export function looksLikeMcubootImage(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && Buffer.from(bytes.buffer, bytes.byteOffset, 4).readUInt32LE(0) === mcubootMagic;
}

export function tlvValue(bytes: Buffer, tlv: McubootTlv): Buffer {
  const start = tlv.offset + tlvEntryHeaderSize;
  return bytes.subarray(start, start + tlv.length);
}

/**
 * Reads an MCUboot image: header, payload bounds, protected and unprotected TLV areas. Structural
 * damage throws an OtaError naming the offset; a hash mismatch is reported in the result.
 */
export function parseMcubootImage(bytes: Buffer, file: string): McubootImage {
  const resign = 'Sign the image again (ota sign … or imgtool sign) from the build output; this file is damaged or incomplete.';
  if (bytes.length < mcubootHeaderStructSize) {
    throw imageError(`truncated MCUboot image: ${bytes.length} bytes, the header alone is ${mcubootHeaderStructSize}`, file, bytes.length, resign, 'image-truncated');
  }
  const magic = bytes.readUInt32LE(0);
  if (magic !== mcubootMagic) {
    throw imageError(
      `not an MCUboot image: magic is 0x${magic.toString(16).padStart(8, '0')}, expected 0x96f3b83d`,
      file,
      0,
      'Pass the signed image (e.g. zephyr.signed.bin), not the unsigned build output or an Intel HEX file of another image.',
      'image-magic',
    );
  }
  const headerSize = bytes.readUInt16LE(8);
  const protectedTlvSize = bytes.readUInt16LE(10);
  const imageSize = bytes.readUInt32LE(12);
  const flags = bytes.readUInt32LE(16);
  const version = readMcubootVersion(bytes, 20);
  if (headerSize < mcubootHeaderStructSize) {
    throw imageError(`MCUboot hdr_size ${headerSize} is smaller than the ${mcubootHeaderStructSize}-byte header`, file, 8, resign, 'image-invalid');
  }
  const payloadEnd = headerSize + imageSize;
  if (payloadEnd > bytes.length) {
    throw imageError(
      `truncated MCUboot image: header (${headerSize}) + img_size (${imageSize}) = ${payloadEnd} bytes, but the file has ${bytes.length}`,
      file,
      12,
      resign,
      'image-truncated',
    );
  }
  const tlvs: McubootTlv[] = [];
  if (protectedTlvSize > 0) {
    const area = readTlvArea(bytes, file, payloadEnd, protectedTlvInfoMagic, true, resign);
    if (area.size !== protectedTlvSize) {
      throw imageError(
        `protected TLV area is ${area.size} bytes but the header's protect_tlv_size says ${protectedTlvSize}`,
        file,
        payloadEnd + 2,
        resign,
        'image-tlv',
      );
    }
    tlvs.push(...area.tlvs);
  }
  const hashedLength = payloadEnd + protectedTlvSize;
  const area = readTlvArea(bytes, file, hashedLength, tlvInfoMagic, false, resign);
  tlvs.push(...area.tlvs);
  const computed = createHash('sha256').update(bytes.subarray(0, hashedLength)).digest('hex');
  const shaTlv = tlvs.find((t) => t.type === TlvType.sha256);
  const keyHashTlv = tlvs.find((t) => t.type === TlvType.keyHash);
  const counterTlv = tlvs.find((t) => t.type === TlvType.securityCounter && t.length === 4);
  const sigTlv = tlvs.find((t) => signatureTlvTypes.includes(t.type));
  const stored = shaTlv ? hex(tlvValue(bytes, shaTlv)) : undefined;
  return {
    format: 'mcuboot',
    size: bytes.length,
    loadAddress: bytes.readUInt32LE(4),
    headerSize,
    protectedTlvSize,
    imageSize,
    flags,
    flagNames: mcubootFlagNames(flags),
    version,
    versionText: formatMcubootVersion(version),
    hashedLength,
    tlvAreaOffset: hashedLength,
    tlvAreaSize: area.size,
    tlvs,
    ...(stored !== undefined ? { sha256: { stored, computed, ok: stored === computed } } : {}),
    ...(keyHashTlv ? { keyHash: hex(tlvValue(bytes, keyHashTlv)) } : {}),
    ...(counterTlv ? { securityCounter: tlvValue(bytes, counterTlv).readUInt32LE(0) } : {}),
    ...(sigTlv ? { signature: { type: sigTlv.type, name: sigTlv.name, length: sigTlv.length } } : {}),
    trailingBytes: bytes.length - (hashedLength + area.size),
    ...withSlotTrailer(readSlotTrailer(bytes, hashedLength + area.size)),
  };
}

function withSlotTrailer(trailer: SlotTrailer | undefined): { slotTrailer?: SlotTrailer } {
  return trailer ? { slotTrailer: trailer } : {};
}

function readTlvArea(
  bytes: Buffer,
  file: string,
  start: number,
  magic: number,
  isProtected: boolean,
  hint: string,
): { size: number; tlvs: McubootTlv[] } {
  const label = isProtected ? 'protected TLV area' : 'TLV area';
  if (start + tlvInfoSize > bytes.length) {
    throw imageError(`truncated MCUboot image: the ${label} header after the payload is missing`, file, start, hint, 'image-truncated');
  }
  const foundMagic = bytes.readUInt16LE(start);
  if (foundMagic !== magic) {
    throw imageError(
      `${label} magic is 0x${foundMagic.toString(16).padStart(4, '0')}, expected 0x${magic.toString(16)} (is img_size in the header right?)`,
      file,
      start,
      hint,
      'image-tlv',
    );
  }
  const size = bytes.readUInt16LE(start + 2);
  const end = start + size;
  if (size < tlvInfoSize || end > bytes.length) {
    throw imageError(
      `${label} claims ${size} bytes and runs past the end of the file (${bytes.length} bytes) by ${end - bytes.length}`,
      file,
      start + 2,
      hint,
      'image-tlv-overrun',
    );
  }
  const tlvs: McubootTlv[] = [];
  let offset = start + tlvInfoSize;
  while (offset < end) {
    if (offset + tlvEntryHeaderSize > end) {
      throw imageError(`${label}: a TLV header at the end of the area is cut short`, file, offset, hint, 'image-tlv-overrun');
    }
    const type = bytes.readUInt16LE(offset);
    const length = bytes.readUInt16LE(offset + 2);
    if (offset + tlvEntryHeaderSize + length > end) {
      throw imageError(
        `${label}: TLV ${tlvName(type)} (${length} bytes) runs past the end of the area (ends at ${end})`,
        file,
        offset,
        hint,
        'image-tlv-overrun',
      );
    }
    tlvs.push({ type, name: tlvName(type), offset, length, protected: isProtected });
    offset += tlvEntryHeaderSize + length;
  }
  return { size, tlvs };
}
