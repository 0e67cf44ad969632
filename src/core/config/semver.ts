/**
 * Semantic Versioning 2.0.0: MAJOR.MINOR.PATCH, optional -prerelease and +build. Numeric parts
 * have no leading zeros. Written out here because the config only needs to recognise one.
 */
const num = '(?:0|[1-9]\\d*)';
const preId = `(?:${num}|\\d*[A-Za-z-][0-9A-Za-z-]*)`;
const buildId = '[0-9A-Za-z-]+';
const semverPattern = new RegExp(`^(${num})\\.(${num})\\.(${num})(?:-(${preId}(?:\\.${preId})*))?(?:\\+(${buildId}(?:\\.${buildId})*))?$`);

export function isSemver(text: string): boolean {
  return semverPattern.test(text);
}
