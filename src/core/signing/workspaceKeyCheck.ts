import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The folder of the OTA workspace or git repository that `path` would land in, if any. Private
 * keys must stay out of it: a committed key is a published key.
 */
export function enclosingWorkspace(path: string): string | undefined {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.vscode', 'ota.json')) || existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}
