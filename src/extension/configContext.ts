import * as vscode from 'vscode';
import { findWorkspaceConfigs } from './workspaceConfigs';

/**
 * Keeps the `ota.hasConfig` context key current from activation on, whether or not the OTA view
 * was ever opened: the command palette's `when` clauses and the walkthrough's first step read it.
 */
export function trackConfigContext(): vscode.Disposable {
  const update = () => void findWorkspaceConfigs().then((uris) => vscode.commands.executeCommand('setContext', 'ota.hasConfig', uris.length > 0));
  const watcher = vscode.workspace.createFileSystemWatcher('**/.vscode/ota.json', false, true, false);
  const subscriptions = [watcher, watcher.onDidCreate(update), watcher.onDidDelete(update), vscode.workspace.onDidChangeWorkspaceFolders(update)];
  update();
  return vscode.Disposable.from(...subscriptions);
}
