import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { skippedFolders } from '../checks/findSources';

export interface NewestSource {
  /** The most recently modified source file, absolute. */
  file: string;
  mtimeMs: number;
  /** How many files were looked at. */
  files: number;
  /** The walk stopped at the limit: a newer file may exist beyond it. */
  truncated: boolean;
}

export interface NewestSourceOptions {
  /** Files to stat at most (default 4,000): the check runs whenever the tree redraws a channel. */
  maxFiles?: number;
  /** Paths (absolute) not to count as sources: the artifact itself and its build folder. */
  exclude?: readonly string[];
  signal?: AbortSignal;
}

/**
 * The newest file under `dir` that is not build output, dependencies or tool state (the folders
 * the source checks skip, plus `exclude`). Bounded by `maxFiles` so a huge tree costs the same as
 * a large one; the caller says "maybe stale" when `truncated` and nothing newer was found.
 */
export async function newestSource(dir: string, options: NewestSourceOptions = {}): Promise<NewestSource | undefined> {
  const maxFiles = options.maxFiles ?? 4_000;
  const exclude = (options.exclude ?? []).map((p) => p.replace(/[\\/]+$/, ''));
  const excluded = (path: string) => exclude.some((e) => path === e || path.startsWith(e + sep));
  let newest: { file: string; mtimeMs: number } | undefined;
  let files = 0;
  let truncated = false;
  const pending = [dir];
  while (pending.length > 0) {
    options.signal?.throwIfAborted();
    const current = pending.shift()!;
    const entries = await readdir(current, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const full = join(current, e.name);
      if (excluded(full)) continue;
      if (e.isDirectory()) {
        if (!skippedFolders.has(e.name) && !e.name.startsWith('.')) pending.push(full);
        continue;
      }
      if (!e.isFile()) continue;
      if (files >= maxFiles) {
        truncated = true;
        break;
      }
      files++;
      const s = await stat(full).catch(() => undefined);
      if (s && (!newest || s.mtimeMs > newest.mtimeMs)) newest = { file: full, mtimeMs: s.mtimeMs };
    }
    if (truncated) break;
  }
  return newest ? { ...newest, files, truncated } : undefined;
}

/** `file` relative to `dir` with forward slashes, for a tooltip. */
export function shownPath(dir: string, file: string): string {
  return relative(dir, file).split(sep).join('/');
}
