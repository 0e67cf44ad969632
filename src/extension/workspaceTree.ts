import * as vscode from 'vscode';
import { configRelativePath, findWorkspaceConfigs } from './workspaceConfigs';

interface ConfigNode {
  kind: 'config';
  uri: vscode.Uri;
  folder: vscode.WorkspaceFolder | undefined;
}

/**
 * The OTA view: one node per workspace folder that has an OTA config. When there is none the
 * view is empty and VS Code shows the welcome content (driven by the `ota.hasConfig` context key).
 */
export class WorkspaceTree implements vscode.TreeDataProvider<ConfigNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ConfigNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor() {
    const watcher = vscode.workspace.createFileSystemWatcher(`**/${configRelativePath}`);
    this.disposables.push(
      watcher,
      watcher.onDidCreate(() => this.refresh()),
      watcher.onDidDelete(() => this.refresh()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.refresh()),
    );
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: ConfigNode): vscode.TreeItem {
    const item = new vscode.TreeItem(node.folder?.name ?? node.uri.fsPath, vscode.TreeItemCollapsibleState.None);
    item.description = configRelativePath;
    item.resourceUri = node.uri;
    item.iconPath = new vscode.ThemeIcon('settings-gear');
    item.tooltip = node.uri.fsPath;
    item.command = { command: 'vscode.open', title: 'Open OTA config', arguments: [node.uri] };
    item.contextValue = 'ota.config';
    return item;
  }

  async getChildren(parent?: ConfigNode): Promise<ConfigNode[]> {
    if (parent) return [];
    const uris = await findWorkspaceConfigs();
    await vscode.commands.executeCommand('setContext', 'ota.hasConfig', uris.length > 0);
    return uris.map((uri) => ({ kind: 'config', uri, folder: vscode.workspace.getWorkspaceFolder(uri) }));
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
