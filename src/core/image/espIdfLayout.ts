/** Byte layout of an ESP-IDF app image (all little-endian); see shared/reference/esp-idf-app-image.md. */
export const espImageMagic = 0xe9;
export const espHeaderSize = 24;
export const espSegmentHeaderSize = 8;
/** The bootloader refuses more segments than this, so a larger count means "not an app image". */
export const espMaxSegments = 16;
export const espChecksumSeed = 0xef;
export const espHashAppendedOffset = 23;
export const espSha256Size = 32;

/** `esp_app_desc_t` sits at the start of the first segment's data. */
export const espAppDesc = {
  offset: 32,
  magic: 0xabcd5432,
  secureVersionOffset: 36,
  versionOffset: 48,
  versionSize: 32,
  projectNameOffset: 80,
  timeOffset: 112,
  dateOffset: 128,
  idfVersionOffset: 144,
  elfSha256Offset: 176,
  /** Bytes up to and including app_elf_sha256. */
  end: 208,
} as const;
