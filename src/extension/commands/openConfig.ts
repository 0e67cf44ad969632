import * as vscode from 'vscode';
import type { ExtensionServices } from '../context';
import { findWorkspaceConfigs } from '../workspaceConfigs';

/** Opens the workspace OTA config; with several folders, asks which one. */
export async function openConfig(services: ExtensionServices): Promise<vscode.Uri | undefined> {
  const uris = await findWorkspaceConfigs();
  if (uris.length === 0) {
    const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.name).join(', ') || vscode.l10n.t('no folder open');
    services.log.info(`no .vscode/ota.json in: ${folders}`);
    void vscode.window.showInformationMessage(
      vscode.l10n.t('No .vscode/ota.json in this workspace ({0}). Create one to describe your products, firmware keys, channels and servers.', folders),
    );
    return undefined;
  }
  let uri = uris[0];
  if (uris.length > 1) {
    const picked = await vscode.window.showQuickPick(
      uris.map((u) => ({ label: vscode.workspace.asRelativePath(u, true), uri: u })),
      { placeHolder: vscode.l10n.t('Which folder’s OTA config?') },
    );
    uri = picked?.uri;
  }
  if (uri) await vscode.window.showTextDocument(uri);
  return uri;
}
