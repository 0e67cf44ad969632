import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { OtaError } from '../errors';

/** Where `ota build` and `ota release create` write (`.ota/builds`, `.ota/releases`): never committed. */
export const otaOutputIgnore = '.ota/';

/** Whether a .gitignore line already ignores the folder `name` at the top (`.ota`, `.ota/`, `/.ota/`, `.ota/**`). */
function ignores(line: string, name: string): boolean {
  const l = line.trim().replace(/^(\*\*)?\//, '').replace(/\/\*\*$/, '/').replace(/\/$/, '');
  return l === name;
}

/**
 * Adds `entry` to the folder's .gitignore, creating the file if needed. Idempotent: a line that
 * already ignores it (with or without slashes) leaves the file untouched. Returns whether it wrote.
 */
export async function ensureGitignored(folder: string, entry = otaOutputIgnore): Promise<{ file: string; added: boolean }> {
  const file = path.join(folder, '.gitignore');
  let text = '';
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new OtaError(`cannot read .gitignore: ${(err as Error).message}`, { where: file, cause: err });
  }
  const name = entry.replace(/^\//, '').replace(/\/$/, '');
  if (text.split(/\r?\n/).some((line) => ignores(line, name))) return { file, added: false };
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const prefix = text === '' || text.endsWith('\n') ? '' : eol;
  try {
    await fs.appendFile(file, `${prefix}# OTA Workbench builds and releases${eol}${entry}${eol}`);
  } catch (err) {
    throw new OtaError(`cannot update .gitignore: ${(err as Error).message}`, { where: file, hint: `add ${entry} to it by hand`, cause: err });
  }
  return { file, added: true };
}
