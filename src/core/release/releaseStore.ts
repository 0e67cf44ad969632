import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { OtaError } from '../errors';
import { compareSemver, parseSemver } from '../version/semver';
import type { ReleaseManifest } from './manifest';
import { readManifest } from './readManifest';

/**
 * Releases on disk: `<root>/<pid>/<channel>/<label>/` holding the artifact and `manifest.json`.
 * A release directory appears by rename once complete, so a listed release is never half-written.
 */
export interface StoredRelease {
  dir: string;
  manifest: ReleaseManifest;
  artifactPath: string;
}

export const manifestFileName = 'manifest.json';

export function channelReleaseDir(root: string, pid: string, channel: string): string {
  return join(root, pid, channel);
}

/** Releases of one channel, oldest label first. */
export async function listReleases(channelDir: string): Promise<StoredRelease[]> {
  let entries;
  try {
    entries = await readdir(channelDir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new OtaError(`cannot list releases: ${(err as Error).message}`, { where: channelDir, code: 'release-store', cause: err });
  }
  const releases: StoredRelease[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith('.') || !parseSemver(entry.name)) continue;
    const dir = join(channelDir, entry.name);
    const manifest = await readManifest(join(dir, manifestFileName));
    releases.push({ dir, manifest, artifactPath: join(dir, manifest.file) });
  }
  return releases.sort((a, b) => compareSemver(parseSemver(a.manifest.label)!, parseSemver(b.manifest.label)!));
}
