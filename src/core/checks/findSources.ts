import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { scanSource, sourceSyntaxOf } from './sourcePatterns';
import type { SourceDeclaration, SourceNames } from './sourcePatterns';

/** Folders that hold build output, dependencies or tool state, not the firmware's own sources. */
export const skippedFolders: ReadonlySet<string> = new Set(['.git', '.ota', '.pio', '.cache', '.vscode', 'build', 'node_modules', 'managed_components', 'out', 'dist']);
/** Generated or vendored files this large are not where a project declares its identity. */
const maxFileBytes = 1024 * 1024;

export interface ScanOptions {
  names?: SourceNames;
  signal?: AbortSignal;
  /** Stops the walk after this many recognised files (a safety net for huge trees). */
  maxFiles?: number;
}

/**
 * Walks a workspace folder for the files `sourceSyntaxOf` recognises and returns every OTA identity
 * declaration in them, in path order. Paths are absolute.
 */
export async function scanWorkspaceSources(folder: string, options: ScanOptions = {}): Promise<{ declarations: SourceDeclaration[]; files: number }> {
  const maxFiles = options.maxFiles ?? 20_000;
  const declarations: SourceDeclaration[] = [];
  let files = 0;
  const walk = async (dir: string): Promise<void> => {
    options.signal?.throwIfAborted();
    const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (files >= maxFiles) return;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!skippedFolders.has(e.name)) await walk(full);
      } else if (e.isFile() && sourceSyntaxOf(e.name)) {
        files++;
        const stat = await fs.stat(full).catch(() => undefined);
        if (!stat || stat.size > maxFileBytes) continue;
        const text = await fs.readFile(full, 'utf8').catch(() => undefined);
        if (text !== undefined) declarations.push(...scanSource(full, text, options.names));
      }
    }
  };
  await walk(folder);
  return { declarations, files };
}
