import * as l10n from '@vscode/l10n';
import type { Deployment, Device, Release, RolloutSummary, ServerEvent, UpdateSession, WhyNotOffered } from '../src/core/protocol/management';
import type { ConnectionState, ConsoleLine, DeviceExpectation, LiveSnapshot } from './protocol';
import { ConsoleBuffer } from './consoleBuffer';
import { describeEvent } from './eventText';
import { withRolloutEvent } from './rolloutEvents';
import { SessionSamples } from './sessionSamples';

export interface LogEntry {
  id: number;
  at: string;
  type: ServerEvent['type'];
  text: string;
  tone: 'info' | 'good' | 'warn' | 'bad';
}

const keepLog = 200;

/** A session still under way (offered, downloading, downloaded, installing). */
export function isActive(state: UpdateSession['state']): boolean {
  return state === 'offered' || state === 'downloading' || state === 'downloaded' || state === 'installing';
}

/** The header's counts: each counts devices (by their newest session), never sessions. */
export interface DeviceCounts {
  devices: number;
  updating: number;
  updated: number;
  failed: number;
  notOffered: number;
}

/** Code-unit order: a binary search over 20,000 ids must not pay for locale-aware comparison. */
function byId(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * What the view knows: the last snapshot with every server event since applied on top. Only the
 * host's messages change it; nothing here is invented or interpolated.
 */
export class LiveState {
  snapshot: LiveSnapshot | undefined;
  connection: ConnectionState | undefined;
  readonly devices = new Map<string, Device>();
  readonly sessions = new Map<string, UpdateSession>();
  readonly releases = new Map<string, Release>();
  readonly deployments = new Map<string, Deployment>();
  readonly products = new Map<string, string[]>();
  /** Staged rollouts of our server (none from a server that has none or does not know them). */
  rollouts: RolloutSummary[] = [];
  /** Each device's newest session (by id): what its row and the counts show. */
  readonly latestByDevice = new Map<string, UpdateSession>();
  /** Device ids in display order, kept sorted as devices arrive (never re-sorted per frame). */
  sortedIds: string[] = [];
  /** Devices with at least one why-not record (the counts and the why-not section look only here). */
  readonly withWhyNot = new Set<string>();
  /** Grows whenever a device or its newest session changes: the device table redraws its visible rows then. */
  devicesRevision = 0;
  /** Grows whenever a deployment changes (a device row's why-not word depends on its deployments' states). */
  deploymentsRevision = 0;
  log: LogEntry[] = [];
  readonly console = new ConsoleBuffer();
  readonly samples = new SessionSamples();
  eventsApplied = 0;
  /** Last state logged per session: progress ticks update the bars, not the log. */
  private readonly loggedState = new Map<string, string>();

  applySnapshot(snapshot: LiveSnapshot): void {
    if (this.snapshot && this.snapshot.source.url !== snapshot.source.url) {
      // Another server: its history is not this one's.
      this.log = [];
      this.console.clear();
      this.samples.clear();
      this.loggedState.clear();
    }
    this.snapshot = snapshot;
    const s = snapshot.status;
    reset(this.devices, s.devices, (d) => d.id);
    reset(this.sessions, s.sessions, (x) => x.id);
    reset(this.releases, s.releases, (r) => r.id);
    reset(this.deployments, s.deployments, (d) => d.id);
    this.deploymentsRevision++;
    this.products.clear();
    for (const p of s.products) this.products.set(p.pid, p.keys);
    this.rollouts = [...(s.rollouts ?? [])];
    for (const x of s.sessions) this.loggedState.set(x.id, x.state);
    this.sortedIds = [...this.devices.keys()].sort(byId);
    this.withWhyNot.clear();
    for (const d of s.devices) if (d.whyNot.length) this.withWhyNot.add(d.id);
    this.latestByDevice.clear();
    for (const x of s.sessions) this.noteSession(x);
    this.samples.keepOnly(new Set(this.sessions.keys()));
    for (const x of s.sessions) if (isActive(x.state)) this.samples.add(x);
    this.devicesRevision++;
  }

  /** The demo started, learned its release or stopped (the host sends only this, not a new snapshot). */
  setDemo(demo: LiveSnapshot['demo'] | null): void {
    if (!this.snapshot) return;
    const { demo: _old, ...rest } = this.snapshot;
    this.snapshot = demo ? { ...rest, demo } : rest;
    this.devicesRevision++;
  }

  /** The counts of the header, by device. */
  counts(): DeviceCounts {
    let updating = 0;
    let updated = 0;
    let failed = 0;
    for (const s of this.latestByDevice.values()) {
      if (isActive(s.state)) updating++;
      else if (s.state === 'succeeded') updated++;
      else if (s.state === 'failed') failed++;
    }
    let notOffered = 0;
    for (const id of this.withWhyNot) {
      const d = this.devices.get(id);
      if (d && this.whyNotOf(d).length > 0) notOffered++;
    }
    return { devices: this.devices.size, updating, updated, failed, notOffered };
  }

  private putDevice(device: Device): void {
    if (!this.devices.has(device.id)) {
      const ids = this.sortedIds;
      let lo = 0;
      let hi = ids.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (byId(ids[mid]!, device.id) < 0) lo = mid + 1;
        else hi = mid;
      }
      ids.splice(lo, 0, device.id);
    }
    this.devices.set(device.id, device);
    if (device.whyNot.length) this.withWhyNot.add(device.id);
    else this.withWhyNot.delete(device.id);
    this.devicesRevision++;
  }

  private noteSession(session: UpdateSession): void {
    const latest = this.latestByDevice.get(session.deviceId);
    if (!latest || Number(session.id) >= Number(latest.id)) {
      this.latestByDevice.set(session.deviceId, session);
      this.devicesRevision++;
    }
  }

  applyEvent(event: ServerEvent): void {
    this.eventsApplied++;
    const data = event.data as Record<string, unknown>;
    let logIt = true;
    switch (event.type) {
      case 'device.seen':
      case 'device.attributes': {
        const device = data as unknown as Device;
        const known = this.devices.get(device.id);
        // The backlog replayed on connect may be older than the snapshot: keep the newer.
        if (known && known.lastSeen > device.lastSeen) return;
        this.putDevice(device);
        // A device that keeps polling is announced every few seconds: log its first contact only.
        logIt = event.type === 'device.attributes' || isFirstContact(event);
        break;
      }
      case 'device.not-offered': {
        const { deviceId, ...entry } = data as unknown as WhyNotOffered & { deviceId: string };
        const device = this.devices.get(deviceId);
        if (device) this.putDevice({ ...device, whyNot: [...device.whyNot.filter((w) => w.deploymentId !== entry.deploymentId), entry] });
        break;
      }
      case 'device.not-offered-cleared': {
        const device = this.devices.get(String(data.deviceId));
        if (device) this.putDevice({ ...device, whyNot: device.whyNot.filter((w) => w.deploymentId !== String(data.deploymentId)) });
        break;
      }
      case 'session.updated': {
        const session = data as unknown as UpdateSession;
        const known = this.sessions.get(session.id);
        // The backlog the server replays on connect may be older than the snapshot: keep the newer.
        if (known && known.lastActivity > session.lastActivity) return;
        this.sessions.set(session.id, session);
        this.noteSession(session);
        this.samples.add(session);
        logIt = this.loggedState.get(session.id) !== session.state;
        this.loggedState.set(session.id, session.state);
        break;
      }
      case 'release.created':
        this.releases.set((data as unknown as Release).id, data as unknown as Release);
        break;
      case 'release.deleted':
        this.releases.delete(String(data.id));
        break;
      case 'deployment.created':
      case 'deployment.cancelled':
        this.deployments.set((data as unknown as Deployment).id, data as unknown as Deployment);
        this.deploymentsRevision++;
        // A cancelled deployment's why-not records no longer count.
        this.devicesRevision++;
        break;
      case 'product.keys':
        this.products.set(String(data.pid), data.keys as string[]);
        break;
      default:
        if (event.type.startsWith('rollout.')) {
          this.rollouts = withRolloutEvent(this.rollouts, event);
          // Counts ticking as devices finish move the bars, not the log.
          logIt = event.type !== 'rollout.progress';
        }
    }
    if (!logIt) return;
    const { text, tone } = describeEvent(event, this);
    if (this.log.some((l) => l.id === event.id)) return;
    this.log.unshift({ id: event.id, at: event.at, type: event.type, text, tone });
    if (this.log.length > keepLog) this.log.length = keepLog;
  }

  /** Log entries for events whose effects the snapshot already holds (nothing else changes). */
  addHistory(events: ServerEvent[]): void {
    const lastState = new Map<string, string>();
    const known = new Set(this.log.map((l) => l.id));
    const entries: LogEntry[] = [];
    for (const event of events) {
      if (event.type === 'session.updated') {
        const s = event.data as UpdateSession;
        const repeated = lastState.get(s.id) === s.state;
        lastState.set(s.id, s.state);
        if (repeated) continue;
      }
      if (event.type === 'device.seen' && !isFirstContact(event)) continue;
      if (known.has(event.id)) continue;
      entries.push({ id: event.id, at: event.at, type: event.type, ...describeEvent(event, this) });
    }
    this.log = [...this.log, ...entries].sort((a, b) => b.id - a.id).slice(0, keepLog);
  }

  addConsole(lines: ConsoleLine[]): void {
    this.console.add(lines);
  }

  /** What the config expects of a device: its own entry, else its product's keys and channels. */
  expectationFor(device: Device): DeviceExpectation | undefined {
    const snapshot = this.snapshot;
    if (!snapshot) return undefined;
    const pid = device.attributes.pid;
    return snapshot.expectations[device.id] ?? (pid ? snapshot.byPid[pid] : undefined);
  }

  /** The device's why-not records that still stand: for deployments not cancelled. */
  whyNotOf(device: Device): WhyNotOffered[] {
    return device.whyNot.filter((w) => this.deployments.get(w.deploymentId)?.state !== 'cancelled');
  }

  latestSession(deviceId: string): UpdateSession | undefined {
    return this.latestByDevice.get(deviceId);
  }

  releaseLabel(id: string): string {
    const r = this.releases.get(id);
    return r ? `${r.label}` : l10n.t('release {0}', id);
  }
}

/** A `device.seen` for the device's first contact (later ones repeat while it keeps polling). */
function isFirstContact(event: ServerEvent): boolean {
  const device = event.data as Device;
  return device.firstSeen === device.lastSeen;
}

function reset<T>(map: Map<string, T>, values: T[], key: (v: T) => string): void {
  map.clear();
  for (const v of values) map.set(key(v), v);
}
