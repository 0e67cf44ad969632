import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { OtaError } from '../errors';
import { sharedConfigPath } from '../config/paths';
import type { Detection } from './detect';
import { detectBuildSystem } from './detect';
import { ensureGitignored } from './gitignore';
import { starterConfigText } from './starter';

export interface InitResult {
  file: string;
  detection: Detection;
  /** True when an existing config was replaced (only with `overwrite`). */
  replaced: boolean;
  /** The folder's .gitignore, and whether `.ota/` was added to it now (false: it was there already). */
  gitignore: { file: string; added: boolean };
}

export async function configExists(folder: string): Promise<boolean> {
  try {
    await fs.stat(sharedConfigPath(folder));
    return true;
  } catch {
    return false;
  }
}

/**
 * Detects the build system and writes a starter `.vscode/ota.json`. An existing config is never
 * replaced unless `overwrite` is set (the caller asks first); the check and the write are one
 * exclusive create, so a config that appears meanwhile is not clobbered either. Adds `.ota/` to
 * the folder's .gitignore.
 */
export async function initWorkspace(folder: string, options: { overwrite?: boolean } = {}): Promise<InitResult> {
  const detection = await detectBuildSystem(folder);
  const file = sharedConfigPath(folder);
  const existed = await configExists(folder);
  await fs.mkdir(path.dirname(file), { recursive: true });
  try {
    await fs.writeFile(file, starterConfigText(detection), { flag: options.overwrite ? 'w' : 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new OtaError('an OTA config already exists here and was left unchanged', { where: file, code: 'config-exists', hint: 'keep it, or overwrite it with a starter config using --force' });
    }
    throw new OtaError(`cannot write the config: ${(err as Error).message}`, { where: file, hint: 'check that the folder is writable', cause: err });
  }
  // Builds and releases land in .ota/: keep them out of the repository from the start.
  const gitignore = await ensureGitignored(folder);
  return { file, detection, replaced: existed, gitignore };
}
