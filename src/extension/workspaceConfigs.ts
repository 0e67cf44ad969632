import * as vscode from 'vscode';

export const configRelativePath = '.vscode/ota.json';

/** The `.vscode/ota.json` files of the open workspace folders (each folder has its own). */
export async function findWorkspaceConfigs(): Promise<vscode.Uri[]> {
  const found: vscode.Uri[] = [];
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const uri = vscode.Uri.joinPath(folder.uri, configRelativePath);
    try {
      await vscode.workspace.fs.stat(uri);
      found.push(uri);
    } catch {
      // No config in this folder: that is the common case, not an error.
    }
  }
  return found;
}
