import { stat } from 'node:fs/promises';
import { OtaError } from '../errors';
import type { Channel } from '../config/model';
import { findFiles } from '../config/glob';

/** The channel's artifact: the newest file its path/glob matches (a build may leave older ones). */
export async function findArtifact(channel: Channel, folder: string, signal?: AbortSignal): Promise<{ path: string; size: number; mtimeMs: number }> {
  const matches = await findFiles(folder, channel.artifact, signal);
  if (matches.length === 0) {
    throw new OtaError(`channel ${channel.name}: artifact "${channel.artifact}" matches no file`, {
      where: folder,
      hint: channel.build ? `Build first (ota build --channel ${channel.name}), or fix "artifact" in .vscode/ota.json.` : 'Fix "artifact" in .vscode/ota.json to point at the built image.',
      code: 'artifact-missing',
    });
  }
  const stats = await Promise.all(matches.map(async (path) => ({ path, ...(await stat(path)) })));
  stats.sort((a, b) => b.mtimeMs - a.mtimeMs);
  const newest = stats[0]!;
  return { path: newest.path, size: newest.size, mtimeMs: newest.mtimeMs };
}
