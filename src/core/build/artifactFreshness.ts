import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { skippedFolders } from '../checks/findSources';

export interface FileTime {
  path: string;
  mtimeMs: number;
}

export type Freshness = { fresh: true; newestSource?: FileTime } | { fresh: false; newestSource: FileTime };

/**
 * The rule for "use the existing artifact": it is fresh when no source file changed after it was
 * written. Equal times count as fresh (coarse file systems stamp a build and its last input alike).
 */
export function judgeFreshness(artifactMtimeMs: number, sources: readonly FileTime[]): Freshness {
  let newest: FileTime | undefined;
  for (const s of sources) if (!newest || s.mtimeMs > newest.mtimeMs) newest = s;
  if (newest && newest.mtimeMs > artifactMtimeMs) return { fresh: false, newestSource: newest };
  return newest ? { fresh: true, newestSource: newest } : { fresh: true };
}

/** Build outputs, tool state and editor settings are not sources; nor is the artifact's own directory. */
function skipped(name: string, dir: string, outputDir: string | undefined): boolean {
  return skippedFolders.has(name) || (name.startsWith('.') && name !== '.') || (outputDir !== undefined && dir === outputDir);
}

/**
 * The newest file under `folder` that could go into a build: everything outside build output,
 * `.git`, `.ota`, `.vscode`, vendored folders and the folder the artifact is in.
 */
export async function newestSourceFile(folder: string, artifactPath: string, signal?: AbortSignal): Promise<FileTime | undefined> {
  const artifactDir = relative(folder, join(artifactPath, '..'));
  const outputDir = artifactDir && !artifactDir.startsWith('..') ? join(folder, artifactDir.split(sep)[0]!) : undefined;
  let newest: FileTime | undefined;
  const walk = async (dir: string): Promise<void> => {
    signal?.throwIfAborted();
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const full = join(dir, e.name);
      if (e.isDirectory()) {
        if (!skipped(e.name, full, outputDir)) await walk(full);
      } else if (e.isFile() && full !== artifactPath && !e.name.startsWith('.')) {
        const s = await stat(full).catch(() => undefined);
        if (s && (!newest || s.mtimeMs > newest.mtimeMs)) newest = { path: full, mtimeMs: s.mtimeMs };
      }
    }
  };
  await walk(folder);
  return newest;
}
