import { OtaError } from '../errors';

/** A release label: Semantic Versioning 2.0.0. */
export interface Semver {
  major: number;
  minor: number;
  patch: number;
  prerelease: string[];
  build: string[];
}

export type BumpKind = 'major' | 'minor' | 'patch';
export const bumpKinds: readonly BumpKind[] = ['major', 'minor', 'patch'];

const num = '(0|[1-9]\\d*)';
const pattern = new RegExp(`^v?${num}\\.${num}\\.${num}(?:-([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?(?:\\+([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?$`);

/** Parses a label; a leading `v` (as in git tags) is accepted and dropped. */
export function parseSemver(text: string): Semver | undefined {
  const m = pattern.exec(text.trim());
  if (!m) return undefined;
  return {
    major: Number(m[1]),
    minor: Number(m[2]),
    patch: Number(m[3]),
    prerelease: m[4] ? m[4].split('.') : [],
    build: m[5] ? m[5].split('.') : [],
  };
}

export function requireSemver(text: string, where?: string): Semver {
  const parsed = parseSemver(text);
  if (!parsed) {
    throw new OtaError(`'${text}' is not a semver release label`, {
      ...(where ? { where } : {}),
      hint: 'Release labels are MAJOR.MINOR.PATCH, optionally -prerelease and +build (e.g. 1.4.2, 2.0.0-rc.1).',
      code: 'version-invalid',
    });
  }
  return parsed;
}

export function formatSemver(v: Semver): string {
  return `${v.major}.${v.minor}.${v.patch}${v.prerelease.length ? `-${v.prerelease.join('.')}` : ''}${v.build.length ? `+${v.build.join('.')}` : ''}`;
}

/** Bumping drops prerelease and build parts; a prerelease of the same core bumps to that core. */
export function bumpSemver(v: Semver, kind: BumpKind): Semver {
  const isPre = v.prerelease.length > 0;
  switch (kind) {
    case 'major':
      return { major: isPre && v.minor === 0 && v.patch === 0 ? v.major : v.major + 1, minor: 0, patch: 0, prerelease: [], build: [] };
    case 'minor':
      return { major: v.major, minor: isPre && v.patch === 0 ? v.minor : v.minor + 1, patch: 0, prerelease: [], build: [] };
    case 'patch':
      return { major: v.major, minor: v.minor, patch: isPre ? v.patch : v.patch + 1, prerelease: [], build: [] };
  }
}

function comparePrerelease(a: string[], b: string[]): number {
  if (!a.length || !b.length) return (b.length ? 1 : 0) - (a.length ? 1 : 0);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const xn = /^\d+$/.test(x);
    const yn = /^\d+$/.test(y);
    if (xn && yn && Number(x) !== Number(y)) return Number(x) - Number(y);
    if (xn !== yn) return xn ? -1 : 1;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Semver precedence (build metadata ignored). */
export function compareSemver(a: Semver, b: Semver): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch || comparePrerelease(a.prerelease, b.prerelease);
}
