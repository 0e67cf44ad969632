import * as path from 'node:path';

/** The shared config, committed with the firmware. */
export const sharedConfigRelativePath = '.vscode/ota.json';
/** One person's overrides (serial ports, local server port), merged over the shared file; meant for .gitignore. */
export const localConfigRelativePath = '.vscode/ota.local.json';

export function sharedConfigPath(folder: string): string {
  return path.join(folder, ...sharedConfigRelativePath.split('/'));
}

export function localConfigPath(folder: string): string {
  return path.join(folder, ...localConfigRelativePath.split('/'));
}

/** The workspace folder a config file belongs to (the parent of its `.vscode/`). */
export function folderOfConfig(configFile: string): string {
  return path.dirname(path.dirname(configFile));
}

export function isLocalConfigFile(file: string): boolean {
  return path.basename(file) === 'ota.local.json';
}

/** Resolves a config path (artifact, cwd, key file) against the workspace folder. */
export function resolveInFolder(folder: string, p: string): string {
  return path.resolve(folder, p);
}
