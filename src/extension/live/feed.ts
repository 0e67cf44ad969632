import type * as vscode from 'vscode';
import type { ServerEvent } from '../../core/protocol/management';
import type { ConnectionState, LiveSnapshot } from '../../../webview/protocol';
import type { ResolvedSource } from './liveSource';

/**
 * What the live view needs of the server it follows, whether the server streams its events (ours,
 * `LiveFeed`) or is polled (hawkBit, `PollFeed`): a snapshot, then events on top of it.
 */
export interface Feed extends vscode.Disposable {
  readonly resolved: ResolvedSource;
  readonly connection: ConnectionState;
  readonly onEvent: vscode.Event<ServerEvent>;
  readonly onConnection: vscode.Event<ConnectionState>;
  /** A fresh snapshot after the connection came back: what happened while it was down is in it. */
  readonly onResync: vscode.Event<LiveSnapshot>;
  /** How many events came through (tests and the log). */
  readonly eventsReceived: number;
  /** Starts following, after the first snapshot reached the view. */
  start(): void;
  snapshot(): Promise<LiveSnapshot>;
  /** The recent events of this connection, for a view that reloads. */
  readonly history: ServerEvent[];
}
