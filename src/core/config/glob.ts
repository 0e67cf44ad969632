import * as fs from 'node:fs/promises';
import * as path from 'node:path';

/** Directories never searched for build artifacts: huge, and never where an image is written. */
const skipped = new Set(['.git', 'node_modules']);
const maxEntries = 50_000;

export function hasGlobChars(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}

/**
 * Turns a glob into a regex over `/`-separated relative paths: `*` and `?` stay inside one path
 * segment, `**` spans any number of segments (including none), `[abc]` is a character class.
 */
export function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      const slashAfter = pattern[i + 2] === '/';
      re += slashAfter ? '(?:.*/)?' : '.*';
      i += slashAfter ? 2 : 1;
    } else if (c === '*') {
      re += '[^/]*';
    } else if (c === '?') {
      re += '[^/]';
    } else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        const body = pattern.slice(i + 1, end).replace(/\\/g, '\\\\');
        re += `[${body.startsWith('!') ? '^' + body.slice(1) : body}]`;
        i = end;
      }
    } else {
      re += c.replace(/[.+^${}()|\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${re}$`);
}

/**
 * Files under `folder` matching `pattern` (a path or glob, relative or absolute), sorted. Walks
 * only below the pattern's fixed leading directories, and stops early when `signal` aborts.
 */
export async function findFiles(folder: string, pattern: string, signal?: AbortSignal): Promise<string[]> {
  const normalized = pattern.replace(/\\/g, '/');
  const absolute = path.isAbsolute(normalized) ? normalized : path.posix.join(folder.replace(/\\/g, '/'), normalized);
  if (!hasGlobChars(absolute)) {
    try {
      return (await fs.stat(absolute)).isFile() ? [path.normalize(absolute)] : [];
    } catch {
      return [];
    }
  }
  const segments = absolute.split('/');
  const firstGlob = segments.findIndex(hasGlobChars);
  const base = segments.slice(0, firstGlob).join('/') || '/';
  const matcher = globToRegExp(segments.slice(firstGlob).join('/'));
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
      const childRel = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory()) {
        if (!skipped.has(d.name)) await walk(path.join(dir, d.name), childRel);
      } else if (d.isFile() && matcher.test(childRel)) {
        found.push(path.join(dir, d.name));
      }
    }
  };
  await walk(base, '');
  return found.sort();
}
