import { createHash } from 'node:crypto';
import { hex, readCString } from './bytes';
import { espChipName, espFlashFrequency, espFlashMode, espFlashSize } from './espChips';
import {
  espAppDesc,
  espChecksumSeed,
  espHashAppendedOffset,
  espHeaderSize,
  espImageMagic,
  espMaxSegments,
  espSegmentHeaderSize,
  espSha256Size,
} from './espIdfLayout';
import { imageError } from './imageError';

export interface EspSegment {
  index: number;
  /** File offset of the 8-byte segment header; the data follows it. */
  offset: number;
  loadAddress: number;
  length: number;
}

/** The fields of `esp_app_desc_t` a device and its OTA code look at. */
export interface EspAppDescription {
  secureVersion: number;
  version: string;
  projectName: string;
  time: string;
  date: string;
  idfVersion: string;
  appElfSha256: string;
}

export interface EspIdfImage {
  format: 'esp-idf';
  size: number;
  segmentCount: number;
  flashMode: string;
  flashSize: string;
  flashFrequency: string;
  entryPoint: number;
  chipId: number;
  chipName: string;
  minChipRevision: number;
  hashAppended: boolean;
  segments: EspSegment[];
  checksum: { offset: number; stored: number; computed: number; ok: boolean };
  /** Present when `hash_appended` is 1: SHA-256 over bytes [0, regionEnd), stored at regionEnd. */
  sha256?: { regionEnd: number; stored: string; computed: string; ok: boolean };
  appDescription?: EspAppDescription;
  /** Bytes after the checksum/hash, e.g. a Secure Boot signature block; the signer must redo it. */
  trailingBytes: number;
}

export function looksLikeEspIdfImage(bytes: Uint8Array): boolean {
  return bytes.length > 0 && bytes[0] === espImageMagic;
}

/** XOR of every segment data byte, seeded with 0xEF, as the ROM bootloader computes it. */
export function espChecksum(bytes: Uint8Array, segments: readonly EspSegment[]): number {
  let sum = espChecksumSeed;
  for (const segment of segments) {
    const start = segment.offset + espSegmentHeaderSize;
    const end = start + segment.length;
    for (let i = start; i < end; i++) sum ^= bytes[i]!;
  }
  return sum;
}

/** The checksum byte ends the 16-byte block that follows the last segment. */
export function espChecksumOffset(segmentsEnd: number): number {
  return segmentsEnd + (15 - (segmentsEnd % 16));
}

/**
 * Reads an ESP-IDF app image. Structural damage (wrong magic, truncation, a segment running past
 * the end) throws an OtaError naming the offset; checksum and hash mismatches are reported in the
 * result so `ota verify` can say which check failed.
 */
export function parseEspIdfImage(bytes: Buffer, file: string): EspIdfImage {
  const rebuild = 'Rebuild the image (idf.py build) or copy it again; the file is not a complete ESP-IDF app image.';
  if (bytes.length < espHeaderSize) {
    throw imageError(`truncated ESP-IDF image: ${bytes.length} bytes, the header alone is ${espHeaderSize}`, file, bytes.length, rebuild, 'image-truncated');
  }
  if (bytes[0] !== espImageMagic) {
    throw imageError(
      `not an ESP-IDF image: magic byte is 0x${bytes[0]!.toString(16).padStart(2, '0')}, expected 0xe9`,
      file,
      0,
      'Pass the app binary from build/ (e.g. build/<project>.bin), not an ELF, a bootloader-wrapped or a merged flash image.',
      'image-magic',
    );
  }
  const segmentCount = bytes[1]!;
  if (segmentCount === 0 || segmentCount > espMaxSegments) {
    throw imageError(`ESP-IDF image claims ${segmentCount} segments (1..${espMaxSegments} allowed)`, file, 1, rebuild, 'image-invalid');
  }
  const segments: EspSegment[] = [];
  let offset = espHeaderSize;
  for (let index = 0; index < segmentCount; index++) {
    if (offset + espSegmentHeaderSize > bytes.length) {
      throw imageError(`truncated ESP-IDF image: segment ${index} header runs past the end of the file (${bytes.length} bytes)`, file, offset, rebuild, 'image-truncated');
    }
    const loadAddress = bytes.readUInt32LE(offset);
    const length = bytes.readUInt32LE(offset + 4);
    const dataEnd = offset + espSegmentHeaderSize + length;
    if (dataEnd > bytes.length) {
      throw imageError(
        `ESP-IDF segment ${index} (load address 0x${loadAddress.toString(16)}) is ${length} bytes long and runs past the end of the file (${bytes.length} bytes) by ${dataEnd - bytes.length}`,
        file,
        offset + 4,
        rebuild,
        'image-segment-overrun',
      );
    }
    segments.push({ index, offset, loadAddress, length });
    offset = dataEnd;
  }
  const checksumOffset = espChecksumOffset(offset);
  if (checksumOffset >= bytes.length) {
    throw imageError(`truncated ESP-IDF image: the checksum byte after the last segment is missing`, file, checksumOffset, rebuild, 'image-truncated');
  }
  const storedChecksum = bytes[checksumOffset]!;
  const computedChecksum = espChecksum(bytes, segments);
  const hashAppended = bytes[espHashAppendedOffset] === 1;
  let end = checksumOffset + 1;
  let sha256: EspIdfImage['sha256'];
  if (hashAppended) {
    if (end + espSha256Size > bytes.length) {
      throw imageError(`truncated ESP-IDF image: hash_appended is 1 but the 32-byte SHA-256 after the checksum is missing`, file, end, rebuild, 'image-truncated');
    }
    const stored = hex(bytes.subarray(end, end + espSha256Size));
    const computed = createHash('sha256').update(bytes.subarray(0, end)).digest('hex');
    sha256 = { regionEnd: end, stored, computed, ok: stored === computed };
    end += espSha256Size;
  }
  const flashByte = bytes[3]!;
  return {
    format: 'esp-idf',
    size: bytes.length,
    segmentCount,
    flashMode: espFlashMode(bytes[2]!),
    flashSize: espFlashSize(flashByte >> 4),
    flashFrequency: espFlashFrequency(flashByte & 0x0f),
    entryPoint: bytes.readUInt32LE(4),
    chipId: bytes.readUInt16LE(12),
    chipName: espChipName(bytes.readUInt16LE(12)),
    minChipRevision: bytes[14]!,
    hashAppended,
    segments,
    checksum: { offset: checksumOffset, stored: storedChecksum, computed: computedChecksum, ok: storedChecksum === computedChecksum },
    ...(sha256 ? { sha256 } : {}),
    ...readAppDescription(bytes, segments[0]!),
    trailingBytes: bytes.length - end,
  };
}

function readAppDescription(bytes: Buffer, first: EspSegment): { appDescription?: EspAppDescription } {
  const fitsInFirstSegment = first.offset + espSegmentHeaderSize + first.length >= espAppDesc.end;
  if (!fitsInFirstSegment || bytes.readUInt32LE(espAppDesc.offset) !== espAppDesc.magic) return {};
  return {
    appDescription: {
      secureVersion: bytes.readUInt32LE(espAppDesc.secureVersionOffset),
      version: readCString(bytes, espAppDesc.versionOffset, espAppDesc.versionSize),
      projectName: readCString(bytes, espAppDesc.projectNameOffset, 32),
      time: readCString(bytes, espAppDesc.timeOffset, 16),
      date: readCString(bytes, espAppDesc.dateOffset, 16),
      idfVersion: readCString(bytes, espAppDesc.idfVersionOffset, 32),
      appElfSha256: hex(bytes.subarray(espAppDesc.elfSha256Offset, espAppDesc.elfSha256Offset + 32)),
    },
  };
}
