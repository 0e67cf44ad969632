import * as vscode from 'vscode';
import type { Logger } from '../../core/logger';
import type { ServerEvent, StatusReport } from '../../core/protocol/management';
import { ManagementClient } from '../../providers/ota/managementClient';
import type { ConnectionState, DeviceExpectation, LiveSnapshot } from '../../../webview/protocol';
import type { Feed } from './feed';
import type { StreamSource } from './liveSource';
import { SseClient } from './sseClient';

/** Events kept for the log of a view that (re)loads while connected. */
const keepEvents = 300;
/** The management API's largest page (server/paging.ts `maxPageSize`). */
const pageSize = 5000;

export interface FeedExpectations {
  byDevice: Record<string, DeviceExpectation>;
  byPid: Record<string, DeviceExpectation>;
}

/**
 * One server's live state for the view: a status snapshot from the management API when asked,
 * and the server's events as they stream in over SSE. Nothing is polled.
 */
export class LiveFeed implements Feed {
  private readonly abort = new AbortController();
  private readonly client: ManagementClient;
  private readonly eventEmitter = new vscode.EventEmitter<ServerEvent>();
  private readonly connectionEmitter = new vscode.EventEmitter<ConnectionState>();
  readonly onEvent = this.eventEmitter.event;
  readonly onConnection = this.connectionEmitter.event;
  private readonly resyncEmitter = new vscode.EventEmitter<LiveSnapshot>();
  /** A fresh snapshot after the stream came back: what happened while it was down is in it. */
  readonly onResync = this.resyncEmitter.event;
  private current: ConnectionState;
  /** Counted for tests and the log: how many events came through. */
  eventsReceived = 0;
  private readonly recentEvents: ServerEvent[] = [];

  constructor(
    readonly resolved: StreamSource,
    private readonly expectations: FeedExpectations,
    private readonly log: Logger,
    private readonly demoInfo: () => LiveSnapshot['demo'],
  ) {
    this.client = new ManagementClient(resolved.source.url, resolved.token, resolved.ca ? { ca: resolved.ca } : {});
    this.current = { state: 'connecting', detail: vscode.l10n.t('connecting to {0}', resolved.source.url) };
  }

  get connection(): ConnectionState {
    return this.current;
  }

  start(): void {
    const url = this.resolved.source.url;
    new SseClient(
      url,
      this.resolved.token,
      {
        onOpen: () => this.setConnection({ state: 'live', detail: vscode.l10n.t('live events from {0}', url) }),
        onEvent: (event) => {
          this.eventsReceived++;
          this.recentEvents.push(event);
          if (this.recentEvents.length > keepEvents) this.recentEvents.shift();
          this.eventEmitter.fire(event);
        },
        onDrop: (reason, retryMs) => {
          this.log.warn(`live view: event stream from ${url} dropped (${reason}); retrying in ${retryMs} ms`);
          this.setConnection({ state: 'reconnecting', detail: vscode.l10n.t('{0}; retrying every {1} s', reason, Math.round(retryMs / 1000)) });
        },
        beforeReconnect: async () => {
          this.resyncEmitter.fire(await this.snapshot());
        },
      },
      this.resolved.ca,
    ).start(this.abort.signal);
  }

  /** The server's status now, with the config's expectations beside it. */
  async snapshot(): Promise<LiveSnapshot> {
    const status = await this.fullStatus();
    const demo = this.demoInfo();
    return { source: this.resolved.source, status, expectations: this.expectations.byDevice, byPid: this.expectations.byPid, ...(demo ? { demo } : {}) };
  }

  /**
   * Every device and session, not just the first page: the view scrolls through the whole fleet.
   * Pages of the server's largest size; events that arrive meanwhile are applied on top.
   */
  private async fullStatus(): Promise<StatusReport> {
    const first = await this.client.status(this.abort.signal, { limit: pageSize, offset: 0 });
    const totals = first.totals;
    if (!totals) return first;
    for (let offset = pageSize; offset < Math.max(totals.devices, totals.sessions); offset += pageSize) {
      const next = await this.client.status(this.abort.signal, { limit: pageSize, offset });
      first.devices.push(...next.devices);
      first.sessions.push(...next.sessions);
    }
    return first;
  }

  /** The events of this connection so far (the newest `keepEvents`), for a view that reloads. */
  get history(): ServerEvent[] {
    return [...this.recentEvents];
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
