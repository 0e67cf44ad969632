import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import type { ConnectionState, LiveSnapshot, LiveSource, PersistedViewState, ViewDescription, WebviewCommand } from '../../../webview/protocol';
import type { Secrets } from '../secrets';
import type { EmbeddedServer } from '../server/embeddedServer';
import type { ConsoleHub } from './consoleHub';
import { configExpectations } from './expectations';
import { HostMessenger } from './hostMessenger';
import { firstConfig, showProductKeys } from './liveConfig';
import type { LoadedConfig } from '../../core/config/loader';
import type { Feed } from './feed';
import { LiveFeed } from './liveFeed';
import { liveHtml, liveResourceRoots } from './liveHtml';
import { localServerStopped, resolveLiveSource } from './liveSource';
import { PollFeed } from './pollFeed';
import { OtaProvider } from '../../providers/ota/otaProvider';
import { OtaError } from '../../core/errors';
import { deployToDevice } from './deployToDevice';
import { EventBatcher } from './eventBatcher';
import { SerialConsoles } from './serialConsoles';

export const liveViewType = 'ota.liveView';

/** What `OTA: Open Live Update View` returns: enough for tests to watch the view, and no secret. */
export interface LiveViewHandle {
  readonly source: LiveSource;
  /** What the webview shows right now, as it reports it. */
  describe(): Promise<ViewDescription>;
  /** Server events that reached the host since the view connected. */
  eventsReceived(): number;
}

export interface LiveViewDeps {
  readonly context: vscode.ExtensionContext;
  readonly log: Logger;
  readonly secrets: Secrets;
  readonly server: EmbeddedServer;
  readonly consoles: ConsoleHub;
}

/**
 * The live update view: one webview panel showing the workspace's OTA server (devices, sessions,
 * why-not records, events) and device consoles. The host connects to the server; the webview
 * only draws what the host forwards.
 */
export class LiveView implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private messenger: HostMessenger | undefined;
  private feed: Feed | undefined;
  /** The feed's events, one message per batch: the view gets deltas, never a snapshot per event. */
  private batcher: EventBatcher | undefined;
  private connecting: Promise<Feed | undefined> | undefined;
  /** The server picked in "OTA: Open Live View" (or a tree row); the config's default when unset. */
  private chosenServer: string | undefined;
  private readonly panelDisposables: vscode.Disposable[] = [];
  private readonly serial = new SerialConsoles();
  /** The last connection state told to the webview, told again when it (re)loads. */
  private connection: ConnectionState = { state: 'connecting', detail: vscode.l10n.t('connecting') };
  /** Set while a demo runs, so the view can name its devices and offer to stop it. */
  demoInfo: (() => LiveSnapshot['demo']) | undefined;
  /** The config a running demo releases from (its own, when the workspace has none): what devices are judged by. */
  demoConfig: LoadedConfig | undefined;

  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly deps: LiveViewDeps) {
    // The embedded server started or stopped: an open view moves to whatever the workspace uses now.
    this.disposables.push(deps.server.onDidChange(() => void (this.panel ? this.reconnect(false) : undefined)));
  }

  /**
   * Opens (or reveals) the panel and connects it to `server` (a name in the config), or the
   * workspace's default. With the local server stopped the panel says so and offers Start: that is
   * the answer, not a failure, and the returned promise holds undefined.
   */
  async open(server?: string): Promise<LiveViewHandle | undefined> {
    this.chosenServer = server;
    if (this.panel) this.panel.reveal(undefined, true);
    else this.adopt(vscode.window.createWebviewPanel(liveViewType, vscode.l10n.t('OTA Live Updates'), { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }, this.panelOptions()));
    const feed = await this.reconnect(true).catch((err: unknown) => {
      if (err instanceof OtaError && err.code === localServerStopped) return undefined;
      throw err;
    });
    if (!feed && this.connection.state === 'stopped') return undefined;
    if (!feed) throw new Error(vscode.l10n.t('the live view could not connect (see the view for why)'));
    return this.handle(feed);
  }

  /** A panel VS Code brings back after a reload (the serializer calls this). */
  async restore(panel: vscode.WebviewPanel, state: PersistedViewState | undefined): Promise<void> {
    this.deps.log.info(`live view restored${state?.consoleDevice ? ` (console of ${state.consoleDevice})` : ''}`);
    this.adopt(panel);
    await this.reconnect(false);
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  /** Connects again (the server started, stopped or moved): a new snapshot and event stream. */
  reconnect(throwOnError = false): Promise<Feed | undefined> {
    this.connecting ??= this.connect(throwOnError).finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  /** The demo started, learned its release or stopped: the header and device notes follow. */
  demoChanged(): void {
    if (!this.feed || !this.messenger) return;
    void this.messenger.notify({ notification: 'demo', demo: this.demoInfo?.() ?? null });
  }

  private panelOptions(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return { enableScripts: true, retainContextWhenHidden: false, localResourceRoots: liveResourceRoots(this.deps.context.extensionUri) };
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    panel.webview.options = this.panelOptions();
    panel.iconPath = vscode.Uri.joinPath(this.deps.context.extensionUri, 'media', 'ota.svg');
    const messenger = new HostMessenger(panel.webview, {
      onCommand: (command) => this.onCommand(command),
      requests: { snapshot: () => this.snapshot() },
    });
    this.messenger = messenger;
    this.panelDisposables.push(
      panel.webview.onDidReceiveMessage((m) => void messenger.receive(m)),
      panel.onDidDispose(() => this.closePanel()),
      this.deps.consoles.onLines((lines) => void messenger.notify({ notification: 'console', lines })),
    );
    panel.webview.html = liveHtml(panel.webview, this.deps.context.extensionUri);
  }

  private async connect(throwOnError: boolean): Promise<Feed | undefined> {
    const { log } = this.deps;
    this.feed?.dispose();
    this.feed = undefined;
    this.batcher?.dispose();
    this.batcher = undefined;
    try {
      const loaded = this.demoConfig ?? (await firstConfig());
      const resolved = await resolveLiveSource(loaded, this.deps.server, this.deps.secrets, this.chosenServer);
      const expectations = configExpectations(loaded?.config);
      const demoInfo = () => this.demoInfo?.();
      const feed: Feed = resolved.mode === 'poll' ? new PollFeed(resolved, expectations, log, demoInfo) : new LiveFeed(resolved, expectations, log, demoInfo);
      this.feed = feed;
      const batcher = (this.batcher = new EventBatcher((events) => void this.messenger?.notify({ notification: 'events', events })));
      feed.onEvent((event) => batcher.add(event));
      feed.onConnection((connection) => this.tell(connection));
      feed.onResync((snapshot) => {
        batcher.send();
        void this.messenger?.notify({ notification: 'snapshot', snapshot });
      });
      this.tell(feed.connection);
      // The snapshot first, then the stream: events replayed from the server's backlog are newer or equal.
      await this.messenger?.notify({ notification: 'snapshot', snapshot: await feed.snapshot() });
      feed.start();
      if (loaded?.config) this.serial.watch(loaded.config, loaded.folder, this.deps.consoles, log);
      log.info(`live view connected to ${resolved.source.url} (${resolved.source.kind}, ${resolved.mode === 'poll' ? `polled every ${resolved.intervalMs / 1000} s` : 'event stream'})`);
      return feed;
    } catch (err) {
      log.warn(`live view: ${describeError(err)}`);
      // The workspace's local server is simply not running: a state to show with a Start button, not an error.
      if (err instanceof OtaError && err.code === localServerStopped) this.tell({ state: 'stopped', detail: describeError(err), canStart: true });
      else this.tell({ state: 'error', detail: describeError(err) });
      if (throwOnError) throw err;
      return undefined;
    }
  }

  private tell(connection: ConnectionState): void {
    this.connection = connection;
    void this.messenger?.notify({ notification: 'connection', connection });
  }

  private async snapshot(): Promise<LiveSnapshot | undefined> {
    const feed = this.feed ?? (await this.connecting);
    // Not connected (the server is not running…): say why, now that the page can hear it.
    setTimeout(() => void this.messenger?.notify({ notification: 'connection', connection: this.connection }), 0);
    if (!feed) return undefined;
    const snapshot = await feed.snapshot();
    // The log and console lines from before the webview (re)loaded, after the snapshot reached it.
    const events = feed.history;
    const lines = this.deps.consoles.history();
    setTimeout(() => {
      if (events.length) void this.messenger?.notify({ notification: 'history', events });
      if (lines.length) void this.messenger?.notify({ notification: 'console', lines });
    }, 0);
    return snapshot;
  }

  private onCommand(command: WebviewCommand): void {
    switch (command.command) {
      case 'openConfig':
        void vscode.commands.executeCommand('ota.openConfig');
        break;
      case 'showProductKeys':
        void showProductKeys(command.pid, this.demoConfig);
        break;
      case 'reconnect':
        void this.reconnect(false);
        break;
      case 'runDemo':
        void vscode.commands.executeCommand('ota.runDemo', 'update');
        break;
      case 'stopDemo':
        void vscode.commands.executeCommand('ota.stopDemo');
        break;
      case 'startServer':
        // The server's change event reconnects the view.
        void vscode.commands.executeCommand('ota.startServer');
        break;
      case 'deployToDevice': {
        const resolved = this.feed?.resolved;
        if (!resolved) break;
        // A polled server (hawkBit) came with its provider; ours is reached with the stream's token.
        const provider = resolved.mode === 'poll' ? resolved.provider : new OtaProvider(resolved.source.name, resolved.source.url, resolved.token, resolved.ca ? { ca: resolved.ca } : {});
        void deployToDevice(provider, command.deviceId, this.deps.log);
        break;
      }
    }
  }

  private handle(feed: Feed): LiveViewHandle {
    return {
      source: feed.resolved.source,
      describe: async () => {
        if (!this.messenger) throw new Error('the live view is closed');
        return this.messenger.request('describe', {});
      },
      eventsReceived: () => feed.eventsReceived,
    };
  }

  private closePanel(): void {
    for (const d of this.panelDisposables.splice(0)) d.dispose();
    this.messenger?.dispose();
    this.messenger = undefined;
    this.feed?.dispose();
    this.feed = undefined;
    this.batcher?.dispose();
    this.batcher = undefined;
    this.serial.stop();
    this.panel = undefined;
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel?.dispose();
    this.closePanel();
  }
}
