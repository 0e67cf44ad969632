import * as fs from 'node:fs/promises';
import type { ConfigCheckResult } from './check';
import { checkConfigSources } from './check';
import { formatDiagnostic } from './diagnostic';
import type { OtaConfig } from './model';
import { localConfigPath, sharedConfigPath } from './paths';
import { OtaError } from '../errors';

/** A workspace folder's config as loaded from disk. */
export interface LoadedConfig extends ConfigCheckResult {
  /** The workspace folder (parent of `.vscode/`); config paths are relative to it. */
  folder: string;
  sharedFile: string;
  /** Set when `.vscode/ota.local.json` exists. */
  localFile: string | undefined;
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new OtaError(`cannot read the config: ${(err as Error).message}`, { where: file, hint: 'check the file permissions', cause: err });
  }
}

/**
 * Reads and checks `.vscode/ota.json` (and `.vscode/ota.local.json` over it) in `folder`.
 * Problems in the files come back as diagnostics; only a missing shared file throws.
 */
export async function loadWorkspaceConfig(folder: string): Promise<LoadedConfig> {
  const sharedFile = sharedConfigPath(folder);
  const localFile = localConfigPath(folder);
  const [sharedText, localText] = await Promise.all([readIfExists(sharedFile), readIfExists(localFile)]);
  if (sharedText === undefined) {
    throw new OtaError(`no OTA config in this folder (${folder})`, {
      where: sharedFile,
      code: 'no-config',
      hint: 'run `ota init` (or "OTA: Initialize Workspace" in VS Code) to write a starter config',
    });
  }
  const result = checkConfigSources({ file: sharedFile, text: sharedText }, localText === undefined ? undefined : { file: localFile, text: localText });
  return { ...result, folder, sharedFile, localFile: localText === undefined ? undefined : localFile };
}

/** For features that need a usable config: the typed config, or an OtaError listing the problems. */
export async function requireWorkspaceConfig(folder: string): Promise<LoadedConfig & { config: OtaConfig }> {
  const loaded = await loadWorkspaceConfig(folder);
  if (!loaded.config) {
    const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
    const shown = errors.slice(0, 10).map(formatDiagnostic);
    if (errors.length > shown.length) shown.push(`… and ${errors.length - shown.length} more`);
    throw new OtaError(`the OTA config has ${errors.length} error${errors.length === 1 ? '' : 's'}:\n${shown.join('\n')}`, {
      where: loaded.sharedFile,
      code: 'invalid-config',
      hint: 'fix them, then run `ota config validate` to check',
    });
  }
  return loaded as LoadedConfig & { config: OtaConfig };
}
