import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import type { ServerEvent, StatusReport } from '../../core/protocol/management';
import { pollStatus } from '../../providers/statusPoller';
import type { ConnectionState, LiveSnapshot } from '../../../webview/protocol';
import type { Feed } from './feed';
import type { FeedExpectations } from './liveFeed';
import type { PollSource } from './liveSource';

/** Events kept for the log of a view that (re)loads while connected. */
const keepEvents = 300;

/**
 * Event ids across every polled feed of this extension host: the view's log tells events apart by
 * id, and a view that reconnects must not take a new feed's first event for one it already has.
 */
let lastEventId = 0;

/**
 * A server without an event stream (hawkBit) followed by polling its status through the provider
 * at the configured interval, only while the view is open (the view disposes the feed when it
 * closes). Each poll's changes become the events our own server would have sent, so the view
 * draws targets, actions and their history, and each device's why-not, the same way.
 */
export class PollFeed implements Feed {
  private readonly abort = new AbortController();
  private readonly eventEmitter = new vscode.EventEmitter<ServerEvent>();
  private readonly connectionEmitter = new vscode.EventEmitter<ConnectionState>();
  private readonly resyncEmitter = new vscode.EventEmitter<LiveSnapshot>();
  readonly onEvent = this.eventEmitter.event;
  readonly onConnection = this.connectionEmitter.event;
  readonly onResync = this.resyncEmitter.event;
  private current: ConnectionState;
  private latest: StatusReport | undefined;
  private readonly recentEvents: ServerEvent[] = [];
  eventsReceived = 0;

  constructor(
    readonly resolved: PollSource,
    private readonly expectations: FeedExpectations,
    private readonly log: Logger,
    private readonly demoInfo: () => LiveSnapshot['demo'],
  ) {
    this.current = { state: 'connecting', detail: vscode.l10n.t('connecting to {0}', resolved.source.url) };
  }

  get connection(): ConnectionState {
    return this.current;
  }

  get history(): ServerEvent[] {
    return [...this.recentEvents];
  }

  start(): void {
    const { provider, intervalMs, source } = this.resolved;
    const seconds = Math.round(intervalMs / 1000);
    const live = () => this.setConnection({ state: 'live', detail: vscode.l10n.t('polling {0} every {1} s', source.url, seconds) });
    live();
    void pollStatus(provider, { intervalMs, signal: this.abort.signal, nextId: () => ++lastEventId, ...(this.latest ? { initial: this.latest } : {}) }, {
      onReport: (report) => (this.latest = report),
      onEvents: (events) => {
        for (const event of events) {
          this.eventsReceived++;
          this.recentEvents.push(event);
          if (this.recentEvents.length > keepEvents) this.recentEvents.shift();
          this.eventEmitter.fire(event);
        }
      },
      onError: (err) => {
        this.log.warn(`live view: polling ${source.name} (${source.url}) failed: ${describeError(err)}; trying again in ${seconds} s`);
        this.setConnection({ state: 'reconnecting', detail: vscode.l10n.t('{0}; trying again every {1} s', describeError(err), seconds) });
      },
      onRecovered: (report) => {
        live();
        this.resyncEmitter.fire(this.snapshotOf(report));
      },
    });
  }

  /** The last polled status (asked once when there is none yet), with the config's expectations beside it. */
  async snapshot(): Promise<LiveSnapshot> {
    this.latest ??= await this.resolved.provider.status(this.abort.signal);
    return this.snapshotOf(this.latest);
  }

  private snapshotOf(status: StatusReport): LiveSnapshot {
    const demo = this.demoInfo();
    return { source: this.resolved.source, status, expectations: this.expectations.byDevice, byPid: this.expectations.byPid, ...(demo ? { demo } : {}) };
  }

  private setConnection(state: ConnectionState): void {
    this.current = state;
    this.connectionEmitter.fire(state);
  }

  dispose(): void {
    this.abort.abort();
    this.setConnection({ state: 'stopped', detail: vscode.l10n.t('disconnected') });
    this.eventEmitter.dispose();
    this.resyncEmitter.dispose();
    this.connectionEmitter.dispose();
  }
}
