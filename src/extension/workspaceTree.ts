import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LoadedConfig } from '../core/config/loader';
import type { OtaConfig, Server } from '../core/config/model';
import { describeError } from '../core/errors';
import type { PushProvider } from '../providers/provider';
import { OtaProvider } from '../providers/ota/otaProvider';
import type { SerialState } from '../device/serial/serialState';
import { channelNode } from './tree/channelNodes';
import { deviceNode } from './tree/deviceNodes';
import { FolderModel, type GoodConfig } from './tree/folderModel';
import { releaseNode } from './tree/releaseNodes';
import { serverNode, type EmbeddedView } from './tree/serverNode';
import { ServerWatch, type WatchSource } from './tree/serverWatch';
import { group, type TreeNode } from './tree/treeNode';
import { configRelativePath } from './workspaceConfigs';

export type { TreeNode } from './tree/treeNode';

/** Connects to a configured server (credentials from SecretStorage); given by the extension. */
export type ServerConnector = (loaded: LoadedConfig & { config: OtaConfig }, server: Server) => Promise<PushProvider>;
/** Our remote server's event stream endpoint (URL, token, CA); given by the extension. */
export type EventEndpoint = (loaded: LoadedConfig & { config: OtaConfig }, server: Server) => Promise<{ url: string; token: string; ca?: string }>;

/** The embedded server, as the tree follows it. */
export interface EmbeddedSource {
  readonly current: { url: string; port: number; token: string; caCertPem: string | undefined } | undefined;
  readonly onDidChange: vscode.Event<unknown>;
}

/** Open serial monitors, whose port state the device rows show. */
export interface SerialStates {
  stateOf(portPath: string): SerialState | undefined;
  readonly onDidChange: vscode.Event<void>;
}

/**
 * The OTA view, the pipeline per workspace folder: channels with their artifact state, releases
 * made here, servers with live contents, devices with their serial state. With no config anywhere
 * the view is empty and VS Code shows the welcome content (`ota.hasConfig`, kept by ConfigPresence).
 */
export class WorkspaceTree implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private readonly folders = new Map<string, FolderModel>();
  private readonly watches = new Map<string, { signature: string; watch: ServerWatch }>();
  private embedded: EmbeddedSource | undefined;
  private endpoint: EventEndpoint | undefined;
  private serial: SerialStates | undefined;
  private redrawTimer: NodeJS.Timeout | undefined;
  private visible = true;

  constructor(private readonly connect?: ServerConnector) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/.vscode/ota{,.local}.json');
    // Releases, build records and artifacts written by the CLI, a task or another window.
    const output = vscode.workspace.createFileSystemWatcher('**/{.ota,build,out,.pio}/**');
    const onFile = (uri: vscode.Uri) => this.invalidate(uri);
    this.disposables.push(
      watcher,
      output,
      watcher.onDidCreate(onFile),
      watcher.onDidChange(onFile),
      watcher.onDidDelete(onFile),
      output.onDidCreate(onFile),
      output.onDidChange(onFile),
      output.onDidDelete(onFile),
      // A saved source can make a channel stale: re-check that folder (bounded walk, see newestSource).
      vscode.workspace.onDidSaveTextDocument((doc) => this.invalidate(doc.uri)),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.refresh()),
    );
  }

  /** Wires the parts made after the tree: the view (expand / collapse / visibility), the embedded server, serial monitors. */
  attach(options: { view?: vscode.TreeView<TreeNode>; embedded?: EmbeddedSource; endpoint?: EventEndpoint; serial?: SerialStates }): void {
    this.embedded = options.embedded ?? this.embedded;
    this.endpoint = options.endpoint ?? this.endpoint;
    this.serial = options.serial ?? this.serial;
    if (options.embedded) this.disposables.push(options.embedded.onDidChange(() => this.redraw()));
    if (options.serial) this.disposables.push(options.serial.onDidChange(() => this.redraw()));
    const view = options.view;
    if (view) {
      this.visible = view.visible;
      this.disposables.push(
        view.onDidCollapseElement((e) => e.element.watchKey && this.watches.get(e.element.watchKey)?.watch.pause()),
        view.onDidChangeVisibility((e) => {
          this.visible = e.visible;
          // Hidden: no stream, no polling. Shown again: expanded server rows resume as they are drawn.
          if (!e.visible) for (const { watch } of this.watches.values()) watch.pause();
          else this.redraw();
        }),
      );
    }
  }

  /** Everything is read again (config, artifacts, releases). */
  refresh(): void {
    for (const model of this.folders.values()) model.invalidate();
    this.redraw();
  }

  /** What a folder's rows show changed on disk. */
  private invalidate(uri: vscode.Uri): void {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const model = folder && this.folders.get(folder.uri.toString());
    if (!model) return this.refresh();
    model.invalidate();
    this.redraw();
  }

  /** Draws again from what is known (live updates); coalesced so an event burst is one redraw. */
  redraw(): void {
    if (this.redrawTimer) return;
    this.redrawTimer = setTimeout(() => {
      this.redrawTimer = undefined;
      this.changed.fire(undefined);
    }, 150);
  }

  /** The server a row acts on: its provider, through the same connection as its live rows. */
  async providerFor(folder: vscode.Uri, serverName: string): Promise<PushProvider | undefined> {
    let model = this.folders.get(folder.toString());
    if (!model) this.folders.set(folder.toString(), (model = new FolderModel(folder.fsPath)));
    await model.ensure();
    const loaded = model.lastGood;
    const server = loaded?.config.servers.find((s) => s.name === serverName);
    if (!loaded || !server) return undefined;
    if (server.type === 'local') {
      // Always the embedded server as it runs now: the row's watch keeps the address it was made
      // with until the tree is drawn again, and a restart may have moved it to another port.
      const running = this.embedded?.current;
      return running && running.port === server.port ? new OtaProvider(server.name, running.url, running.token, running.caCertPem ? { ca: running.caCertPem } : {}) : undefined;
    }
    const entry = this.watches.get(`${folder.toString()}#server/${serverName}`);
    if (entry) return entry.watch.connection();
    return this.connect?.(loaded, server);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const state = node.load
      ? vscode.TreeItemCollapsibleState.Collapsed
      : node.children?.length
        ? node.collapsed
          ? vscode.TreeItemCollapsibleState.Collapsed
          : vscode.TreeItemCollapsibleState.Expanded
        : vscode.TreeItemCollapsibleState.None;
    const item = new vscode.TreeItem(node.label, state);
    if (node.id) item.id = node.id;
    item.description = node.description;
    item.tooltip = node.tooltip;
    item.iconPath = new vscode.ThemeIcon(node.icon, node.iconColor ? new vscode.ThemeColor(node.iconColor) : undefined);
    item.contextValue = node.contextValue;
    if (node.command) item.command = { ...node.command, arguments: [node] };
    else if (node.open) item.command = { command: 'ota.revealInConfig', title: vscode.l10n.t('Show in OTA config'), arguments: [node.open.uri, node.open.offset] };
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
    const open = new Set<string>();
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (folder.uri.scheme !== 'file') continue;
      const key = folder.uri.toString();
      open.add(key);
      let model = this.folders.get(key);
      if (!model) this.folders.set(key, (model = new FolderModel(folder.uri.fsPath)));
      await model.ensure();
      const node = this.folderNode(folder, model);
      if (node) roots.push(node);
    }
    for (const key of [...this.folders.keys()]) if (!open.has(key)) this.folders.delete(key);
    this.dropUnusedWatches(roots);
    return roots;
  }

  dispose(): void {
    clearTimeout(this.redrawTimer);
    for (const { watch } of this.watches.values()) watch.dispose();
    for (const d of this.disposables) d.dispose();
  }

  private folderNode(folder: vscode.WorkspaceFolder, model: FolderModel): TreeNode | undefined {
    if (!model.present) return undefined;
    const file = vscode.Uri.file(path.join(folder.uri.fsPath, configRelativePath));
    const node: TreeNode = {
      id: `${folder.uri.toString()}#folder`,
      label: folder.name,
      description: configRelativePath,
      tooltip: file.fsPath,
      icon: 'settings-gear',
      open: { uri: file },
      contextValue: 'ota.folder',
      target: { folder: folder.uri },
    };
    const rows: TreeNode[] = [];
    if (!vscode.workspace.isTrusted) {
      rows.push({
        id: `${node.id}/restricted`,
        label: vscode.l10n.t('Restricted Mode'),
        description: vscode.l10n.t('build, sign, push and serve are off'),
        tooltip: vscode.l10n.t('This workspace is not trusted. Building runs its build command, signing uses its key, pushing and server rows send your stored credentials to the servers it names: trust the workspace to turn them on.'),
        icon: 'shield',
        iconColor: 'list.warningForeground',
        command: { command: 'workbench.trust.manage', title: vscode.l10n.t('Manage Workspace Trust') },
      });
    }
    if (model.readError) rows.push({ id: `${node.id}/problem`, label: vscode.l10n.t('cannot read the config'), description: model.readError, tooltip: model.readError, icon: 'error', iconColor: 'list.errorForeground', open: { uri: file } });
    if (model.problems.length > 0) {
      const first = model.problems[0]!;
      const n = model.problems.length;
      rows.push({
        id: `${node.id}/problems`,
        label: n === 1 ? vscode.l10n.t('1 problem in the config') : vscode.l10n.t('{0} problems in the config', n),
        description: `${path.basename(first.file)}:${first.line}: ${first.message}`,
        tooltip: [...model.problems.map((p) => `${path.basename(p.file)}:${p.line}: ${p.message}`), model.lastGood ? vscode.l10n.t('The rows below are from the last config without errors.') : ''].join('\n'),
        icon: 'error',
        iconColor: 'list.errorForeground',
        open: { uri: vscode.Uri.file(first.file), offset: first.offset },
      });
    }
    if (model.lastGood) rows.push(...this.configRows(folder.uri, model, model.lastGood));
    node.children = rows;
    return node;
  }

  private configRows(folder: vscode.Uri, model: FolderModel, loaded: GoodConfig): TreeNode[] {
    const config = loaded.config;
    const base = folder.toString();
    /** Opens the file that defines the value at `jsonPath` (shared or local), at that value. */
    const at = (jsonPath: (string | number)[]): TreeNode['open'] => {
      const location = loaded.merged?.locate(jsonPath);
      return location ? { uri: vscode.Uri.file(location.parsed.file), offset: location.node.offset } : { uri: vscode.Uri.file(loaded.sharedFile) };
    };
    const embedded = this.embedded?.current;
    const embeddedView: EmbeddedView | undefined = embedded ? { url: embedded.url, port: embedded.port } : undefined;
    const releases = model.releases.map((r) => releaseNode(folder, r));
    for (const problem of model.releaseProblems) releases.unshift({ label: vscode.l10n.t('unreadable release'), description: problem, tooltip: problem, icon: 'error' });
    return [
      group(`${base}#channels`, vscode.l10n.t('Channels'), 'git-branch', config.channels.map((c, i) => channelNode(folder, c, model.channels.get(`${c.pid}/${c.name}`), at(['channels', i])))),
      { ...group(`${base}#releases`, vscode.l10n.t('Releases'), 'package', releases), collapsed: releases.length > 5 },
      group(`${base}#servers`, vscode.l10n.t('Servers'), 'server', config.servers.map((s, i) => serverNode(folder, s, at(['servers', i]), embeddedView, this.watchFor(folder, loaded, s, embedded)))),
      group(`${base}#devices`, vscode.l10n.t('Devices'), 'device-mobile', config.devices.map((d, i) => {
        const port = d.serial?.path ? path.resolve(folder.fsPath, d.serial.path) : undefined;
        const monitor = port ? this.serial?.stateOf(port) : undefined;
        return deviceNode(folder, d, { ...(monitor ? { monitor } : {}), ...(port ? { present: model.ports.get(port) ?? false } : {}) }, at(['devices', i]));
      })),
      {
        ...group(`${base}#products`, vscode.l10n.t('Products'), 'symbol-class', config.products.map((p, i) => ({
          id: `${base}#product/${p.pid}`,
          label: p.pid,
          description: p.name,
          icon: 'symbol-class',
          open: at(['products', i]),
          children: p.firmwareKeys.map((key, k) => ({ id: `${base}#product/${p.pid}/key/${key}`, label: key, description: vscode.l10n.t('firmware key'), icon: 'key', open: at(['products', i, 'firmwareKeys', k]) })),
        }))),
      },
    ];
  }

  /** One watch per server row, made again when the server's entry (or the embedded server) changes. */
  private watchFor(folder: vscode.Uri, loaded: GoodConfig, server: Server, embedded: EmbeddedSource['current']): ServerWatch | undefined {
    const key = `${folder.toString()}#server/${server.name}`;
    let source: WatchSource | undefined;
    let signature: string;
    if (server.type === 'local') {
      if (!embedded || embedded.port !== server.port) return this.dropWatch(key);
      const { url, token, caCertPem } = embedded;
      const ca = caCertPem ? { ca: caCertPem } : {};
      signature = `local ${url}`;
      source = { provider: async () => new OtaProvider(server.name, url, token, ca), events: async () => ({ url, token, ...ca }), pollMs: 0 };
    } else {
      const connect = this.connect;
      // A config we do not trust must not make us send stored credentials to the URL it names.
      if (!connect || !vscode.workspace.isTrusted) return this.dropWatch(key);
      signature = JSON.stringify(server);
      const endpoint = this.endpoint;
      source = {
        provider: () => connect(loaded, server),
        ...(server.type === 'ota-workbench' && endpoint ? { events: () => endpoint(loaded, server) } : {}),
        pollMs: (server.type === 'hawkbit' ? server.pollIntervalSeconds : 10) * 1000,
      };
    }
    const known = this.watches.get(key);
    if (known?.signature === signature) return known.watch;
    known?.watch.dispose();
    const watch = new ServerWatch(source, () => this.redraw());
    this.watches.set(key, { signature, watch });
    return watch;
  }

  private dropWatch(key: string): undefined {
    this.watches.get(key)?.watch.dispose();
    this.watches.delete(key);
    return undefined;
  }

  /** Servers no longer in any config stop being followed. */
  private dropUnusedWatches(roots: TreeNode[]): void {
    const shown = new Set<string>();
    const visit = (nodes: TreeNode[] | undefined) => {
      for (const n of nodes ?? []) {
        if (n.watchKey) shown.add(n.watchKey);
        visit(n.children);
      }
    };
    visit(roots);
    for (const key of [...this.watches.keys()]) if (!shown.has(key)) this.dropWatch(key);
  }

  /** Whether the view is on screen (watches follow only then). */
  get isVisible(): boolean {
    return this.visible;
  }
}
