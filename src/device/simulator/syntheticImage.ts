import { createHash } from 'node:crypto';
import { espAppDesc, espChecksumSeed, espHashAppendedOffset, espHeaderSize, espImageMagic, espSegmentHeaderSize, espSha256Size } from '../../core/image/espIdfLayout';
import { mcubootMagic, tlvEntryHeaderSize, tlvInfoMagic, tlvInfoSize, TlvType } from '../../core/image/mcubootLayout';
import { parseMcubootVersion, writeMcubootVersion } from '../../core/image/mcubootVersion';

export interface SyntheticEspImageOptions {
  version: string;
  /** Total file size to aim for (rounded to the image's 16-byte alignment); default 64 KiB. */
  size?: number;
  projectName?: string;
  secureVersion?: number;
  /** ESP32 chip id (u16 in the extended header): 0 ESP32, 2 ESP32-S2, 5 ESP32-C3, 9 ESP32-S3. */
  chipId?: number;
}

/**
 * A valid ESP-IDF application image with a chosen embedded version: one DROM segment starting with
 * `esp_app_desc_t`, filler that differs per version (so two versions never hash alike), the XOR
 * checksum and the appended SHA-256. It lets the simulator and tests run without real firmware.
 */
export function buildSyntheticEspImage(options: SyntheticEspImageOptions): Buffer {
  const target = Math.max(options.size ?? 64 * 1024, 512);
  // header + segment header + data, then padding to 16 with the checksum byte, then the SHA-256.
  const fixed = espHeaderSize + espSegmentHeaderSize + espSha256Size;
  let dataLength = target - fixed - 16;
  dataLength -= dataLength % 4;
  const image = Buffer.alloc(espHeaderSize + espSegmentHeaderSize + dataLength);
  image[0] = espImageMagic;
  image[1] = 1; // segment count
  image[2] = 2; // DIO
  image[3] = 0x20; // 4 MB, 40 MHz
  image.writeUInt32LE(0x40080000, 4); // entry point
  image[8] = 0xee; // SPI pin: none
  image.writeUInt16LE(options.chipId ?? 0, 12);
  image[espHashAppendedOffset] = 1;
  image.writeUInt32LE(0x3f400020, espHeaderSize);
  image.writeUInt32LE(dataLength, espHeaderSize + 4);

  const desc = espAppDesc.offset;
  image.writeUInt32LE(espAppDesc.magic, desc);
  image.writeUInt32LE(options.secureVersion ?? 0, espAppDesc.secureVersionOffset);
  image.write(options.version.slice(0, espAppDesc.versionSize - 1), espAppDesc.versionOffset, 'latin1');
  image.write((options.projectName ?? 'ota_sim_app').slice(0, 31), espAppDesc.projectNameOffset, 'latin1');
  image.write('12:00:00', espAppDesc.timeOffset, 'latin1');
  image.write('Jan  1 2025', espAppDesc.dateOffset, 'latin1');
  image.write('v5.1.2', espAppDesc.idfVersionOffset, 'latin1');
  createHash('sha256').update(`elf:${options.version}`).digest().copy(image, espAppDesc.elfSha256Offset);
  // Deterministic filler seeded by the version: "code" that changes with it.
  const seed = createHash('sha256').update(options.version).digest();
  for (let i = desc + 256; i < image.length; i++) image[i] = seed[i % 32]! ^ (i & 0xff);

  let checksum = espChecksumSeed;
  for (let i = espHeaderSize + espSegmentHeaderSize; i < image.length; i++) checksum ^= image[i]!;
  const padded = Buffer.alloc(image.length + (16 - (image.length % 16)));
  image.copy(padded);
  padded[padded.length - 1] = checksum;
  return Buffer.concat([padded, createHash('sha256').update(padded).digest()]);
}

export interface SyntheticMcubootImageOptions {
  /** imgtool notation: 1.2.3 or 1.2.3+4. */
  version: string;
  /** Payload bytes; default 32 KiB. */
  payloadSize?: number;
}

/**
 * An unsigned MCUboot image (header padded to 0x200, payload, TLV area with the SHA256 entry), as
 * `imgtool sign` makes without a key: enough for the simulator's bootloader to check and compare.
 */
export function buildSyntheticMcubootImage(options: SyntheticMcubootImageOptions): Buffer {
  const v = parseMcubootVersion(options.version);
  const headerSize = 0x200;
  const payloadSize = options.payloadSize ?? 32 * 1024;
  const body = Buffer.alloc(headerSize + payloadSize);
  body.writeUInt32LE(mcubootMagic, 0);
  body.writeUInt32LE(0, 4); // load address
  body.writeUInt16LE(headerSize, 8);
  body.writeUInt16LE(0, 10); // no protected TLVs
  body.writeUInt32LE(payloadSize, 12);
  body.writeUInt32LE(0, 16); // flags
  writeMcubootVersion(body, 20, v);
  const seed = createHash('sha256').update(options.version).digest();
  for (let i = headerSize; i < body.length; i++) body[i] = seed[i % 32]! ^ (i & 0xff);
  const tlv = Buffer.alloc(tlvInfoSize + tlvEntryHeaderSize + 32);
  tlv.writeUInt16LE(tlvInfoMagic, 0);
  tlv.writeUInt16LE(tlv.length, 2);
  tlv.writeUInt16LE(TlvType.sha256, 4);
  tlv.writeUInt16LE(32, 6);
  createHash('sha256').update(body).digest().copy(tlv, 8);
  return Buffer.concat([body, tlv]);
}
