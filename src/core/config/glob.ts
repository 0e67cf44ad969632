import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import picomatch from 'picomatch/posix';

/** Directories never searched for build artifacts: huge, and never where an image is written. */
const skipped = new Set(['.git', 'node_modules']);
const maxEntries = 50_000;

/**
 * The options that give picomatch the semantics of VS Code's globs (`files.exclude`, tasks'
 * problem matchers), which is what people paste into `artifact`: a leading dot is not special
 * (`**` walks into `.pio/`), `[!a]` negates a class as `[^a]` does, and `/` is the only separator
 * (callers turn `\` into `/` first, so a Windows path reads the same).
 */
const options: picomatch.PicomatchOptions = { dot: true, posix: true };

export function hasGlobChars(pattern: string): boolean {
  return picomatch.scan(pattern, options).isGlob;
}

/** A test for `/`-separated relative paths: `*`, `?` and `[...]` stay in a segment, `**` spans segments, `{a,b}` expands. */
export function globMatcher(pattern: string): (relativePath: string) => boolean {
  return picomatch(pattern, options);
}

/**
 * Files under `folder` matching `pattern` (a path or glob, relative or absolute), sorted. Walks
 * only below the pattern's fixed leading directories, and stops early when `signal` aborts.
 */
export async function findFiles(folder: string, pattern: string, signal?: AbortSignal): Promise<string[]> {
  const normalized = pattern.replace(/\\/g, '/');
  const relative = !path.isAbsolute(normalized);
  // Only the pattern is read as a glob: a workspace folder named `fw[v2]` or `app{old}` is a path.
  const scanned = picomatch.scan(normalized, options);
  if (!scanned.isGlob) {
    const file = relative ? path.join(folder, normalized) : normalized;
    try {
      return (await fs.stat(file)).isFile() ? [path.normalize(file)] : [];
    } catch {
      return [];
    }
  }
  // The whole pattern is matched against paths that start at its base, not just the part after
  // the base: picomatch reads a leading `**.bin` as `**/*.bin`, while in `build/**.bin` it stays
  // in one segment, and only the full pattern keeps that meaning.
  const matches = globMatcher(normalized.slice(scanned.prefix.length));
  const base = relative ? path.join(folder, scanned.base) : scanned.base || '/';
  const found: string[] = [];
  let seen = 0;
  const walk = async (dir: string, rel: string): Promise<void> => {
    signal?.throwIfAborted();
    let dirents;
    try {
      dirents = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const d of dirents) {
      if (++seen > maxEntries) return;
      const childRel = rel === '' || rel.endsWith('/') ? `${rel}${d.name}` : `${rel}/${d.name}`;
      if (d.isDirectory()) {
        if (!skipped.has(d.name)) await walk(path.join(dir, d.name), childRel);
      } else if (d.isFile() && matches(childRel)) {
        found.push(path.join(dir, d.name));
      }
    }
  };
  await walk(base, scanned.base);
  return found.sort();
}
