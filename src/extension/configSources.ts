import * as vscode from 'vscode';
import { checkConfigSources } from '../core/config/check';
import type { ConfigCheckResult } from '../core/config/check';
import { localConfigRelativePath, sharedConfigRelativePath } from '../core/config/paths';
import type { ConfigSource } from '../core/config/parse';

/** The workspace folder a config file belongs to: the parent of its `.vscode/`. */
export function configFolder(uri: vscode.Uri): vscode.Uri | undefined {
  const match = /^(.*)\/\.vscode\/ota(?:\.local)?\.json$/.exec(uri.path);
  // Only files of the workspace: not git diff views or other virtual copies of the same path.
  if (!match || !vscode.workspace.getWorkspaceFolder(uri)) return undefined;
  return uri.with({ path: match[1] || '/' });
}

/**
 * The text of a file: an editor buffer with unsaved edits if there is one (they count), else the
 * file. A clean buffer is not asked: VS Code keeps a document loaded after its file is deleted, and
 * its old text would keep a deleted `ota.local.json` in force.
 */
export async function readSource(uri: vscode.Uri): Promise<ConfigSource | undefined> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open?.isDirty) return { file: uri.toString(), text: open.getText() };
  try {
    const bytes = await vscode.workspace.fs.readFile(uri);
    return { file: uri.toString(), text: new TextDecoder().decode(bytes) };
  } catch {
    return undefined;
  }
}

/**
 * A folder's config checked from the editor buffers (files named by URI string), or undefined
 * when the folder has no `.vscode/ota.json`.
 */
export async function checkFolderConfig(folder: vscode.Uri): Promise<ConfigCheckResult | undefined> {
  const [shared, local] = await Promise.all([readSource(vscode.Uri.joinPath(folder, sharedConfigRelativePath)), readSource(vscode.Uri.joinPath(folder, localConfigRelativePath))]);
  return shared ? checkConfigSources(shared, local) : undefined;
}
