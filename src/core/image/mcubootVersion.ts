import { OtaError } from '../errors';

/** The version in an MCUboot header: major u8, minor u8, revision u16, build u32. */
export interface McubootVersion {
  major: number;
  minor: number;
  revision: number;
  build: number;
}

const limits = { major: 0xff, minor: 0xff, revision: 0xffff, build: 0xffffffff } as const;

/** Accepts imgtool's notation: "1", "1.2", "1.2.3" or "1.2.3+4". */
export function parseMcubootVersion(text: string): McubootVersion {
  const match = /^(\d+)(?:\.(\d+)(?:\.(\d+)(?:\+(\d+))?)?)?$/.exec(text.trim());
  if (!match) {
    throw new OtaError(`'${text}' is not an MCUboot version`, {
      hint: 'Write MAJOR.MINOR.REVISION+BUILD, e.g. 1.2.3+4 (the +BUILD part is optional).',
      code: 'version-invalid',
    });
  }
  const version: McubootVersion = {
    major: Number(match[1]),
    minor: Number(match[2] ?? 0),
    revision: Number(match[3] ?? 0),
    build: Number(match[4] ?? 0),
  };
  for (const field of Object.keys(limits) as Array<keyof McubootVersion>) {
    if (version[field] > limits[field]) {
      throw new OtaError(`MCUboot version '${text}': ${field} ${version[field]} does not fit (max ${limits[field]})`, {
        hint: 'major and minor are 8-bit, revision 16-bit, build 32-bit in the image header.',
        code: 'version-invalid',
      });
    }
  }
  return version;
}

export function formatMcubootVersion(v: McubootVersion): string {
  return `${v.major}.${v.minor}.${v.revision}+${v.build}`;
}

/**
 * Orders versions the way MCUboot's downgrade prevention does (major, minor, revision; the build
 * number only counts when MCUBOOT_VERSION_CMP_USE_BUILD_NUMBER is set, so it is opt-in here too).
 */
export function compareMcubootVersions(a: McubootVersion, b: McubootVersion, useBuildNumber = false): number {
  return (
    a.major - b.major ||
    a.minor - b.minor ||
    a.revision - b.revision ||
    (useBuildNumber ? Math.sign(a.build - b.build) : 0)
  );
}

export function readMcubootVersion(bytes: Buffer, offset: number): McubootVersion {
  return {
    major: bytes[offset]!,
    minor: bytes[offset + 1]!,
    revision: bytes.readUInt16LE(offset + 2),
    build: bytes.readUInt32LE(offset + 4),
  };
}

export function writeMcubootVersion(bytes: Buffer, offset: number, v: McubootVersion): void {
  bytes[offset] = v.major;
  bytes[offset + 1] = v.minor;
  bytes.writeUInt16LE(v.revision, offset + 2);
  bytes.writeUInt32LE(v.build, offset + 4);
}
