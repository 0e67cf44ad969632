/**
 * Messages between the extension host and the live-update webview, declared once for both sides.
 *
 * Three kinds travel in each direction:
 * - a command: fire and forget ("open the config");
 * - a request: carries an id; the other side answers with a response carrying the same id;
 * - a notification: the host pushes what changed (a server event, the connection state, console lines).
 */
import type { ServerEvent, StatusReport } from '../src/core/protocol/management';

/** Which server the view shows and how it reached it. Never carries the token. */
export interface LiveSource {
  kind: 'embedded' | 'remote';
  /** The server's name in the workspace config ("local", "staging"…). */
  name: string;
  url: string;
}

/** What the workspace config expects of a device, for the side-by-side columns. */
export interface DeviceExpectation {
  /** The device's name in the config, when it is listed there. */
  configName?: string;
  pid?: string;
  /** Keys that would be accepted: the key the device is expected to carry, or every key bound to its PID. */
  fwKeys: string[];
  /** Channels the config has for the PID (or the one the device entry expects). */
  channels: string[];
}

export type ConnectionState =
  | { state: 'connecting'; detail: string }
  | { state: 'live'; detail: string }
  | { state: 'reconnecting'; detail: string }
  | { state: 'error'; detail: string }
  /** Not connected and nothing to retry: the workspace's local server is not running (`canStart`: the view offers to start it). */
  | { state: 'stopped'; detail: string; canStart?: boolean };

/** A console line of a device (serial port or simulated UART), with what the log parser read from it. */
export interface ConsoleLine {
  device: string;
  time: number;
  /** The line without ANSI colours. */
  text: string;
  level?: 'E' | 'W' | 'I' | 'D';
  /** The parser's reading, e.g. "ota-progress 42%". */
  meaning?: string;
  /** The parser's kind of event (`poll`, `no-update`, `boot`…): the view can hide poll chatter by it. */
  kind?: string;
}

/** Everything the view needs to draw itself from scratch; events are applied on top of it. */
export interface LiveSnapshot {
  source: LiveSource;
  status: StatusReport;
  /** By device id. */
  expectations: Record<string, DeviceExpectation>;
  /** Expectation for devices the config does not list, keyed by the PID they report. */
  byPid: Record<string, DeviceExpectation>;
  /** The demo that feeds this server, when one runs (the view offers to stop it). */
  demo?: { devices: string[]; release?: string };
}

// ---- webview → host ----

export type WebviewCommand =
  | { command: 'openConfig' }
  /** Opens the config at the firmware keys bound to this PID (where a why-not record says to bind a key). */
  | { command: 'showProductKeys'; pid: string }
  | { command: 'reconnect' }
  | { command: 'stopDemo' }
  | { command: 'runDemo' }
  /** The stopped view's Start button: the host runs `ota.startServer`. */
  | { command: 'startServer' }
  /** A device card's Deploy button: the host asks which release and deploys it to this device only. */
  | { command: 'deployToDevice'; deviceId: string };

/** Requests the webview makes, and what the host answers. */
export interface WebviewRequests {
  /** The current snapshot (on first load and after a reload restores the panel). */
  snapshot: { params: Record<string, never>; result: LiveSnapshot | undefined };
}

// ---- host → webview ----

export type HostNotification =
  | { notification: 'snapshot'; snapshot: LiveSnapshot }
  | { notification: 'event'; event: ServerEvent }
  /** The events of the last moment, in order (a fast stream arrives as a few batches a second, not one message an event). */
  | { notification: 'events'; events: ServerEvent[] }
  /** The demo started, learned its release or stopped: a delta, not a new snapshot. */
  | { notification: 'demo'; demo: LiveSnapshot['demo'] | null }
  /** Recent events for the log only (their effects are in the snapshot): a reloaded view keeps its log. */
  | { notification: 'history'; events: ServerEvent[] }
  | { notification: 'connection'; connection: ConnectionState }
  | { notification: 'console'; lines: ConsoleLine[] };

/** What the webview shows, counted from its own DOM state (tests and the host's log use it). */
export interface ViewDescription {
  source?: string;
  connection?: ConnectionState['state'];
  /** `lastSeen`: the server's time of the device's last request, as the table shows it. */
  devices: { id: string; version?: string; lastSeen: string; mismatch: string[] }[];
  sessions: { id: string; deviceId: string; state: string; progress: number }[];
  notOffered: { deviceId: string; reason: string }[];
  eventsApplied: number;
  /** The header's counts, by their key (`devices`, `updating`, `updated`, `failed`, `not offered`): devices, never sessions. */
  counts: Record<string, number>;
  consoleLines: number;
  /** Devices with console lines in the view. */
  consoleDevices: string[];
  /** What the parsers made of those lines (e.g. "app-info version 1.0.0"), each once. */
  consoleMeanings: string[];
  /** Staged rollouts as the section shows them: state, and per group its state and counts. */
  rollouts: { id: string; name: string; state: string; groups: { name: string; state: string; succeeded: number; failed: number; total: number }[] }[];
}

/** Requests the host makes of the webview. */
export interface HostRequests {
  describe: { params: Record<string, never>; result: ViewDescription };
}

// ---- envelopes ----

export type RequestMessage<M> = {
  [K in keyof M & string]: { kind: 'request'; id: number; method: K; params: M[K] extends { params: infer P } ? P : never };
}[keyof M & string];

export type ResponseMessage = { kind: 'response'; id: number; ok: true; result: unknown } | { kind: 'response'; id: number; ok: false; error: string };

export type WebviewToHost = ({ kind: 'command' } & WebviewCommand) | RequestMessage<WebviewRequests> | ResponseMessage;
export type HostToWebview = ({ kind: 'notification' } & HostNotification) | RequestMessage<HostRequests> | ResponseMessage;

/** What the webview keeps through getState/setState, and what the serializer hands back after a reload. */
export interface PersistedViewState {
  /** Which workspace folder's view this was. */
  folder?: string;
  /** Collapsed sections by name. */
  collapsed: string[];
  /** The device whose console is shown. */
  consoleDevice?: string;
  /** The console hides poll chatter (the parsers' `poll` and `no-update` lines). */
  hidePolls?: boolean;
}
