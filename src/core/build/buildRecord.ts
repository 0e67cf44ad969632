import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Channel } from '../config/model';
import { writeAtomically } from '../files/atomicOutput';
import type { BuildMetadata } from '../release/manifest';

/**
 * What `ota build` learned about the artifact it produced (commit, dirty flag, builder, time),
 * kept in `.ota/builds/` so a later `ota release create --no-build` or the VS Code task flow can
 * still put the real build facts in the manifest. A record only counts while the artifact is
 * the same file it describes (path, size and modification time).
 */
interface BuildRecord {
  artifact: string;
  size: number;
  mtimeMs: number;
  metadata: BuildMetadata;
}

export function buildRecordPath(folder: string, channel: Channel): string {
  return join(folder, '.ota', 'builds', `${channel.pid}-${channel.name}.json`);
}

export async function saveBuildRecord(folder: string, channel: Channel, record: BuildRecord): Promise<void> {
  const path = buildRecordPath(folder, channel);
  await mkdir(dirname(path), { recursive: true });
  await writeAtomically(path, (out) => out.write(Buffer.from(JSON.stringify(record, null, 2) + '\n')));
}

export async function loadBuildRecord(folder: string, channel: Channel, artifact: { path: string; size: number; mtimeMs: number }): Promise<BuildMetadata | undefined> {
  try {
    const record = JSON.parse(await readFile(buildRecordPath(folder, channel), 'utf8')) as BuildRecord;
    const same = record.artifact === artifact.path && record.size === artifact.size && record.mtimeMs === artifact.mtimeMs;
    return same ? record.metadata : undefined;
  } catch {
    return undefined; // No record, or an unreadable one: fall back to what can be known now.
  }
}
