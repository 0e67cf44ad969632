import * as path from 'node:path';
import * as vscode from 'vscode';
import { loadWorkspaceConfig, type LoadedConfig } from '../core/config/loader';
import type { OtaConfig, Server } from '../core/config/model';
import { describeError } from '../core/errors';
import type { PushProvider } from '../providers/provider';
import type { CommandTarget } from './commands/commandTarget';
import { serverStatusNodes } from './serverNodes';
import { configRelativePath } from './workspaceConfigs';

/** A row of the OTA view. Rows are built from one load of a folder's config, then shown as they are. */
export interface TreeNode {
  label: string;
  description?: string;
  tooltip?: string;
  icon: string;
  /** Where a click goes: the config file, at the value this row shows. */
  open?: { uri: vscode.Uri; offset?: number };
  children?: TreeNode[];
  /** Rows fetched when the node is expanded (a remote server's devices, actions, rollouts). */
  load?: () => Promise<TreeNode[]>;
  contextValue?: string;
  /** What the row's inline and context-menu commands act on (see commands/commandTarget). */
  target?: CommandTarget;
}

/** Connects to a configured server (credentials from SecretStorage); given by the extension. */
export type ServerConnector = (loaded: LoadedConfig & { config: OtaConfig }, server: Server) => Promise<PushProvider>;

/**
 * The OTA view: per workspace folder with an OTA config, its products and the firmware keys bound
 * to them, channels, servers and devices. With no config anywhere the view is empty and VS Code
 * shows the welcome content (driven by the `ota.hasConfig` context key).
 */
export class WorkspaceTree implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(private readonly connect?: ServerConnector) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/.vscode/ota{,.local}.json');
    this.disposables.push(
      watcher,
      watcher.onDidCreate(() => this.refresh()),
      watcher.onDidChange(() => this.refresh()),
      watcher.onDidDelete(() => this.refresh()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.refresh()),
    );
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const state = node.load ? vscode.TreeItemCollapsibleState.Collapsed : node.children?.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None;
    const item = new vscode.TreeItem(node.label, state);
    item.description = node.description;
    item.tooltip = node.tooltip;
    item.iconPath = new vscode.ThemeIcon(node.icon);
    item.contextValue = node.contextValue;
    if (node.open) item.command = { command: 'ota.revealInConfig', title: vscode.l10n.t('Show in OTA config'), arguments: [node.open.uri, node.open.offset] };
    return item;
  }

  async getChildren(parent?: TreeNode): Promise<TreeNode[]> {
    if (parent?.load) {
      try {
        return await parent.load();
      } catch (err) {
        return [{ label: vscode.l10n.t('cannot read the server'), description: describeError(err), tooltip: describeError(err), icon: 'error' }];
      }
    }
    if (parent) return parent.children ?? [];
    const roots: TreeNode[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (folder.uri.scheme !== 'file') continue;
      const node = await folderNode(folder, this.connect);
      if (node) roots.push(node);
    }
    await vscode.commands.executeCommand('setContext', 'ota.hasConfig', roots.length > 0);
    return roots;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

async function folderNode(folder: vscode.WorkspaceFolder, connect: ServerConnector | undefined): Promise<TreeNode | undefined> {
  const file = vscode.Uri.file(path.join(folder.uri.fsPath, configRelativePath));
  let loaded: LoadedConfig;
  try {
    loaded = await loadWorkspaceConfig(folder.uri.fsPath);
  } catch (err) {
    if ((err as { code?: string }).code === 'no-config') return undefined;
    return { label: folder.name, description: describeError(err), icon: 'error', open: { uri: file } };
  }
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  const node: TreeNode = { label: folder.name, description: configRelativePath, tooltip: file.fsPath, icon: 'settings-gear', open: { uri: file }, contextValue: 'ota.config' };
  if (!loaded.config) {
    const first = errors[0];
    node.children = [
      {
        label: errors.length === 1 ? vscode.l10n.t('1 problem in the config') : vscode.l10n.t('{0} problems in the config', errors.length),
        description: first ? `${path.basename(first.file)}:${first.line}: ${first.message}` : undefined,
        icon: 'error',
        open: first ? { uri: vscode.Uri.file(first.file), offset: first.offset } : { uri: file },
      },
    ];
    return node;
  }
  node.children = configNodes(loaded, loaded.config, connect);
  return node;
}

function configNodes(loaded: LoadedConfig, config: OtaConfig, connect: ServerConnector | undefined): TreeNode[] {
  /** Opens the file that defines the value at `jsonPath` (shared or local), at that value. */
  const at = (jsonPath: (string | number)[]): TreeNode['open'] => {
    const location = loaded.merged?.locate(jsonPath);
    return location ? { uri: vscode.Uri.file(location.parsed.file), offset: location.node.offset } : { uri: vscode.Uri.file(loaded.sharedFile) };
  };
  const group = (label: string, icon: string, children: TreeNode[]): TreeNode => ({ label, icon, description: String(children.length), children });
  return [
    group(vscode.l10n.t('Products'), 'package', config.products.map((p, i) => ({
      label: p.pid,
      description: p.name,
      icon: 'symbol-class',
      open: at(['products', i]),
      children: p.firmwareKeys.map((key, k) => ({ label: key, description: vscode.l10n.t('firmware key'), icon: 'key', open: at(['products', i, 'firmwareKeys', k]) })),
    }))),
    group(vscode.l10n.t('Channels'), 'git-branch', config.channels.map((c, i) => ({
      label: c.name,
      description: `${c.pid} · ${c.firmwareKey} · ${c.format}`,
      tooltip: [vscode.l10n.t('artifact {0}', c.artifact), ...(c.build ? [vscode.l10n.t('build: {0}', c.build.command)] : []), vscode.l10n.t('version from {0}', c.version.source)].join('\n'),
      icon: 'circuit-board',
      open: at(['channels', i]),
    }))),
    group(vscode.l10n.t('Servers'), 'server', config.servers.map((s, i) => ({
      label: s.name,
      description: s.type === 'local' ? vscode.l10n.t('local {0}:{1}', s.host, s.port) : `${s.type} ${s.url}`,
      icon: s.type === 'local' ? 'server-environment' : 'cloud',
      open: at(['servers', i]),
      contextValue: `ota.server.${s.type}`,
      // A remote server (hawkBit, or ours deployed elsewhere) shows what it holds when expanded.
      ...(connect && s.type !== 'local'
        ? {
            load: async () => {
              const provider = await connect({ ...loaded, config }, s);
              const [report, rollouts] = await Promise.all([provider.status(), provider.rollouts?.list()]);
              return serverStatusNodes(report, rollouts);
            },
          }
        : {}),
    }))),
    group(vscode.l10n.t('Devices'), 'device-mobile', config.devices.map((d, i) => ({
      label: d.name,
      description: [d.deviceId, d.serial?.path].filter(Boolean).join(' · '),
      tooltip: d.expect
        ? vscode.l10n.t('expects PID {0}, key {1}, channel {2}', d.expect.pid ?? vscode.l10n.t('any'), d.expect.firmwareKey ?? vscode.l10n.t('any'), d.expect.channel ?? vscode.l10n.t('any'))
        : undefined,
      icon: 'device-mobile',
      open: at(['devices', i]),
    }))),
  ];
}
