import * as vscode from 'vscode';
import { loadWorkspaceConfig } from '../../core/config/loader';
import type { LoadedConfig } from '../../core/config/loader';

/** The config file that holds the PID's `firmwareKeys` (shared or local), with the cursor on them. */
export async function showProductKeys(pid: string, preferred?: LoadedConfig): Promise<void> {
  const loaded = preferred ?? (await firstConfig());
  const index = loaded?.config?.products.findIndex((p) => p.pid === pid) ?? -1;
  if (!loaded || index < 0) {
    await vscode.commands.executeCommand('ota.openConfig');
    return;
  }
  const location = loaded.merged?.locate(['products', index, 'firmwareKeys']);
  const file = vscode.Uri.file(location?.parsed.file ?? loaded.sharedFile);
  await vscode.commands.executeCommand('ota.revealInConfig', file, location?.node.offset);
}

export async function firstConfig(): Promise<LoadedConfig | undefined> {
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    if (folder.uri.scheme !== 'file') continue;
    const loaded = await loadWorkspaceConfig(folder.uri.fsPath).catch(() => undefined);
    if (loaded?.config) return loaded;
  }
  return undefined;
}
