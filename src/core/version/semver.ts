import { SemVer, compare, parse } from 'semver';
import { OtaError } from '../errors';

/**
 * A release label: Semantic Versioning 2.0.0, read by the `semver` package (the one npm itself
 * uses), so the config check, release creation, the release store and version bumps agree on
 * every edge case. Only release labels are semver: an MCUboot header version is
 * `major.minor.revision+build` (see `image/mcubootVersion.ts`) and an ESP-IDF `esp_app_desc_t`
 * version is free text; both stay in their own formats.
 */
export type Semver = SemVer;

export type BumpKind = 'major' | 'minor' | 'patch';
export const bumpKinds: readonly BumpKind[] = ['major', 'minor', 'patch'];

/**
 * Parses a label exactly as written: no leading `v` or `=`, no surrounding spaces (the `semver`
 * package forgives those, but a label is also a directory name and a server's version string,
 * where `v1.2.3` and `1.2.3` would be two releases).
 */
export function parseSemver(text: string): Semver | undefined {
  if (text !== text.trim() || /^[v=]/i.test(text)) return undefined;
  return parse(text) ?? undefined;
}

export function isSemver(text: string): boolean {
  return parseSemver(text) !== undefined;
}

/** Parses a git tag's version: `v1.2.3` and `1.2.3` both name 1.2.3. */
export function parseTagSemver(tag: string): Semver | undefined {
  return parseSemver(tag.trim().replace(/^v/i, ''));
}

export function requireSemver(text: string, where?: string): Semver {
  const parsed = parseSemver(text);
  if (!parsed) {
    throw new OtaError(`'${text}' is not a semver release label`, {
      ...(where ? { where } : {}),
      hint: 'Release labels are MAJOR.MINOR.PATCH without a leading v, optionally -prerelease and +build (e.g. 1.4.2, 2.0.0-rc.1); numbers have no leading zeros.',
      code: 'version-invalid',
    });
  }
  return parsed;
}

/** The label with its build metadata (`SemVer.version` leaves that out). */
export function formatSemver(v: Semver): string {
  return v.build.length ? `${v.version}+${v.build.join('.')}` : v.version;
}

/** Bumping drops prerelease and build parts; a prerelease of the same core bumps to that core. */
export function bumpSemver(v: Semver, kind: BumpKind): Semver {
  return new SemVer(v.version).inc(kind);
}

/** Semver precedence (build metadata ignored). */
export function compareSemver(a: Semver, b: Semver): number {
  return compare(a, b);
}
