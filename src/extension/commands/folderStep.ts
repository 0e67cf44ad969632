import * as vscode from 'vscode';
import { findWorkspaceConfigs } from '../workspaceConfigs';

/**
 * Step one of a palette command: the workspace folder with an OTA config. One folder is taken
 * without asking; several are offered with the command's title and step count.
 */
export async function pickFolder(title: string, step: number, steps: number): Promise<vscode.Uri | undefined> {
  const configs = await findWorkspaceConfigs();
  const folders = configs.map((c) => vscode.workspace.getWorkspaceFolder(c)).filter((f): f is vscode.WorkspaceFolder => f !== undefined && f.uri.scheme === 'file');
  if (folders.length <= 1) return folders[0]?.uri;
  const picked = await vscode.window.showQuickPick(
    folders.map((f) => ({ label: f.name, description: f.uri.fsPath, uri: f.uri })),
    { title: `${title} (${step}/${steps})`, placeHolder: vscode.l10n.t('Workspace folder with the OTA config') },
  );
  return picked?.uri;
}
