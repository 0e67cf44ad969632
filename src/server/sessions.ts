import { OtaError } from '../core/errors';
import { ddiAttribute } from '../core/protocol/ddi';
import type { Deployment, Release, SessionState, UpdateSession } from '../core/protocol/management';
import type { Catalog } from './catalog';
import type { ServerContext } from './context';
import { Coverage } from './coverage';
import { readFeedback } from './feedback';
import type { TransferObserver } from './http/sendFile';
import { decideOffer, targets } from './policy';
import { silenceVerdict } from './silence';
import { judgeVersion, releaseEmbeddedVersion } from './versionOutcome';

export interface Offer {
  session: UpdateSession;
  deployment: Deployment;
  release: Release;
}

/**
 * Whether a release the policy would offer suits the request at hand (an Arduino filesystem
 * request, the free space the device reported): undefined when it does, else why not. With
 * `failsSession`, an open session for that release is failed with the reason.
 */
export type ReleaseFit = (release: Release, deployment: Deployment) => { reason: string; failsSession: boolean } | undefined;

/** Silence longer than this in the middle of a download counts as time offline (polls and Range requests come much faster). */
const offlineGapMs = 1000;
/** A single transfer shorter than this says little about the link's speed. */
const minMeasuredTransferMs = 250;

const active: ReadonlySet<SessionState> = new Set(['offered', 'downloading', 'downloaded', 'installing']);
/** Before the device installs: a `resumed` from it then is a download going on after a cut. */
const downloadPhase: ReadonlySet<SessionState> = new Set(['offered', 'downloading', 'downloaded']);

export function isActive(session: UpdateSession): boolean {
  return active.has(session.state);
}

/**
 * Update sessions: one per device and deployment. They are created when the policy offers an
 * update, move on with bytes served and device feedback, and fail when the device stays silent
 * longer than the offline timeout (the install timeout once the download is complete). State
 * changes are journaled durably; byte counters lazily.
 */
export class Sessions {
  private readonly coverage = new Map<string, Coverage>();
  /** When each session's first byte went out (for its average rate over many Range requests). */
  private readonly firstByte = new Map<string, number>();
  private readonly dirty = new Set<string>();
  private readonly journaled = new Map<string, number>();
  private readonly unjournaled = new Set<string>();
  private readonly timer: NodeJS.Timeout;
  private readonly offering = new Map<string, Promise<void>>();
  /** The version a device reported while installing (after its reboot): what it runs now. */
  private readonly runningAfter = new Map<string, string>();

  constructor(
    private readonly ctx: ServerContext,
    private readonly catalog: Catalog,
  ) {
    // The server was down, not the devices: give every open session a fresh offline window.
    const now = new Date().toISOString();
    for (const s of ctx.model.sessions.values()) {
      if (isActive(s)) s.lastActivity = now;
      if (s.bytesServed > 0) this.coverageOf(s).add(0, s.bytesServed);
    }
    const tick = Math.max(50, Math.min(1000, ctx.settings.offlineTimeoutMs / 4));
    this.timer = setInterval(() => this.tick(Date.now()), tick);
    this.timer.unref();
  }

  dispose(): void {
    clearInterval(this.timer);
    this.flushDirty(true);
  }

  /**
   * The update to offer this device now, if any. Deployments that name the device but may not be
   * offered get a why-not record on the device.
   */
  offerFor(deviceId: string, fits?: ReleaseFit): Promise<Offer | undefined> {
    return this.serialized(deviceId, () => this.decide(deviceId, fits, false));
  }

  /**
   * Brings the device's why-not records up to date without opening a session: right after it
   * reports new attributes, status must not go on showing what was true before.
   */
  async explain(deviceId: string): Promise<void> {
    await this.serialized(deviceId, () => this.decide(deviceId, undefined, true));
  }

  private serialized<T>(deviceId: string, decide: () => Promise<T>): Promise<T> {
    // One decision at a time per device: two polls racing must not both open a session.
    const run = (this.offering.get(deviceId) ?? Promise.resolve()).then(decide);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.offering.set(deviceId, settled);
    void settled.then(() => {
      if (this.offering.get(deviceId) === settled) this.offering.delete(deviceId);
    });
    return run;
  }

  private async decide(deviceId: string, fits: ReleaseFit | undefined, dryRun: boolean): Promise<Offer | undefined> {
    const device = this.ctx.model.devices.get(deviceId);
    if (!device) return undefined;
    const deployments = [...this.ctx.model.deployments.values()].filter((d) => targets(d, deviceId)).sort((a, b) => Number(b.id) - Number(a.id));
    for (const deployment of deployments) {
      const previous = this.latest(deployment.id, deviceId);
      const release = this.ctx.model.releases.get(deployment.releaseId);
      const misfit = release && fits ? fits(release, deployment) : undefined;
      if (previous && isActive(previous) && release) {
        if (misfit === undefined) {
          // A reason left by a request this session did not suit (e.g. a spiffs request) is stale now.
          await this.whyNot(deviceId, deployment.id, '');
          return { session: previous, deployment, release };
        }
        // The device cannot take what its open session would send (e.g. no room for it): say so
        // now instead of letting the session run into the offline timeout.
        if (misfit.failsSession && !dryRun) await this.setStateDurably(previous, 'failed', misfit.reason);
        await this.whyNot(deviceId, deployment.id, misfit.reason);
        continue;
      }
      if (previous && (previous.state === 'succeeded' || previous.state === 'cancelled')) continue;
      const decision = release ? decideOffer(device, deployment, this.catalog.boundKeys(deployment.pid), previous) : { offer: false as const, reason: `deployment ${deployment.id}: release ${deployment.releaseId} was deleted` };
      if (!decision.offer) {
        await this.whyNot(deviceId, deployment.id, decision.reason);
        continue;
      }
      if (misfit !== undefined) {
        await this.whyNot(deviceId, deployment.id, misfit.reason);
        continue;
      }
      await this.whyNot(deviceId, deployment.id, '');
      if (dryRun) return undefined;
      // One update at a time per device, as in hawkBit: a newer deployment supersedes the open
      // session of an older one (a DDI device is told through cancelAction first).
      const ddi = device.protocol === 'ddi';
      for (const old of [...this.ctx.model.sessionsOf(deviceId)]) {
        if (!isActive(old)) continue;
        await this.setStateDurably(old, 'cancelled', `superseded by deployment ${deployment.id}`, ddi);
      }
      const now = new Date().toISOString();
      const before = device.attributes[ddiAttribute.version];
      const session: UpdateSession = {
        id: this.ctx.model.nextId(),
        deploymentId: deployment.id,
        releaseId: release!.id,
        deviceId,
        state: 'offered',
        size: release!.size,
        bytesServed: 0,
        progress: 0,
        startedAt: now,
        lastActivity: now,
        slow: false,
        details: [],
        ...(before !== undefined ? { versionBefore: before } : {}),
      };
      await this.recordSession(session);
      const stored = this.get(session.id);
      this.ctx.events.emit('session.updated', stored);
      return { session: stored, deployment, release: release! };
    }
    return undefined;
  }

  /** Records (or clears, with an empty reason) why a deployment is not offered to a device. */
  private async whyNot(deviceId: string, deploymentId: string, reason: string): Promise<void> {
    const device = this.ctx.model.devices.get(deviceId);
    const existing = device?.whyNot.find((w) => w.deploymentId === deploymentId);
    if ((existing?.reason ?? '') === reason) return;
    const entry = { deploymentId, reason, at: new Date().toISOString() };
    this.ctx.recordLazily({ t: 'whynot', deviceId, entry });
    if (reason !== '') this.ctx.events.emit('device.not-offered', { deviceId, ...entry });
    else this.ctx.events.emit('device.not-offered-cleared', { deviceId, deploymentId, at: entry.at });
  }

  latest(deploymentId: string, deviceId: string): UpdateSession | undefined {
    let found: UpdateSession | undefined;
    for (const s of this.ctx.model.sessionsOf(deviceId)) {
      if (s.deploymentId === deploymentId && (!found || Number(s.id) > Number(found.id))) found = s;
    }
    return found;
  }

  /** The open session that a download of `releaseId` by this device belongs to. */
  forDownload(deviceId: string, releaseId: string): UpdateSession | undefined {
    let found: UpdateSession | undefined;
    for (const s of this.ctx.model.sessionsOf(deviceId)) {
      if (s.releaseId === releaseId && isActive(s) && (!found || Number(s.id) > Number(found.id))) found = s;
    }
    return found;
  }

  get(id: string): UpdateSession {
    const s = this.ctx.model.sessions.get(id);
    if (!s) throw new OtaError(`no update session ${id}`, { code: 'not-found' });
    return s;
  }

  /**
   * Any request from the device keeps its open sessions alive. A device back after a silence in
   * the middle of its download was offline (a drop): the gap is added to the session's offline time.
   */
  touch(deviceId: string): void {
    const nowMs = Date.now();
    const now = new Date(nowMs).toISOString();
    for (const s of this.ctx.model.sessionsOf(deviceId)) {
      if (!isActive(s)) continue;
      this.countSilence(s, nowMs);
      s.lastActivity = now;
    }
  }

  private countSilence(s: UpdateSession, nowMs: number): void {
    const gap = nowMs - Date.parse(s.lastActivity);
    if (gap > offlineGapMs && s.bytesServed > 0 && s.bytesServed < s.size) {
      s.offlineMs = (s.offlineMs ?? 0) + gap;
      // A DDI device says so itself (`resumed` feedback); others show it only by coming back.
      if (this.ctx.model.devices.get(s.deviceId)?.protocol !== 'ddi') s.resumes = (s.resumes ?? 0) + 1;
      this.dirty.add(s.id);
    }
  }

  /** Turns bytes on the wire into progress, and measures the transfer's throughput. */
  observe(session: UpdateSession): TransferObserver {
    let bytes = 0;
    const began = Date.now();
    return {
      onBytes: (offset, count) => {
        if (!isActive(session)) return;
        bytes += count;
        session.bytesSent = (session.bytesSent ?? 0) + count;
        if (!this.firstByte.has(session.id)) this.firstByte.set(session.id, Date.now());
        const cov = this.coverageOf(session);
        cov.add(offset, offset + count);
        session.bytesServed = cov.covered;
        session.progress = Math.max(session.progress, session.size > 0 ? session.bytesServed / session.size : 1);
        session.lastActivity = new Date().toISOString();
        if (session.state === 'offered') this.setState(session, 'downloading');
        else this.dirty.add(session.id);
      },
      onEnd: (complete) => {
        if (!isActive(session)) return;
        // The rate over the whole session: a device on a slow link asks for many small ranges,
        // each quick on its own. Measured once there is enough time to mean something.
        const transferMs = Date.now() - began;
        if (bytes > 0 && transferMs >= minMeasuredTransferMs) {
          const bps = Math.round((bytes * 8 * 1000) / transferMs);
          if (session.minThroughputBps === undefined || bps < session.minThroughputBps) session.minThroughputBps = bps;
        }
        const seconds = (Date.now() - (this.firstByte.get(session.id) ?? Date.now())) / 1000;
        if (session.bytesServed > 0 && seconds >= 2) {
          session.throughputBps = Math.round((session.bytesServed * 8) / seconds);
          if (session.throughputBps < this.ctx.settings.minBandwidthBps && !session.slow) {
            session.slow = true;
            this.addDetail(session, `transfer ran at ${session.throughputBps} bit/s, under the minimum bandwidth of ${this.ctx.settings.minBandwidthBps} bit/s`);
          }
        }
        if (!complete) this.addDetail(session, `transfer cut after ${bytes} bytes; the device may resume with a Range request`);
        if (session.bytesServed >= session.size && session.state === 'downloading') this.setState(session, 'downloaded');
        else this.dirty.add(session.id);
      },
    };
  }

  /** hawkBit feedback: the device's own word on progress and the outcome. */
  async feedback(deviceId: string, sessionId: string, body: unknown): Promise<UpdateSession> {
    const session = this.get(sessionId);
    if (session.deviceId !== deviceId) throw new OtaError(`action ${sessionId} belongs to another device`, { code: 'not-found' });
    const outcome = readFeedback(session.state, body);
    if (!isActive(session)) throw new OtaError(`action ${sessionId} is already ${session.state}`, { code: 'gone' });
    // The device's own word that it went on after an interruption, before it installs. Not judged
    // by bytes served: on a fast link the server has written the whole image into socket buffers
    // while the device, cut off, holds half of it.
    if ((body as { status?: { execution?: unknown } }).status?.execution === 'resumed' && downloadPhase.has(session.state)) session.resumes = (session.resumes ?? 0) + 1;
    for (const d of outcome.details) this.addDetail(session, d);
    if (outcome.progress !== undefined) session.progress = Math.max(session.progress, outcome.progress);
    session.lastActivity = new Date().toISOString();
    await this.setStateDurably(session, outcome.state, outcome.reason);
    return session;
  }

  /** The device has seen our cancel (hawkBit cancelAction feedback). */
  async acknowledgeCancel(deviceId: string, sessionId: string): Promise<void> {
    const session = this.get(sessionId);
    if (session.deviceId !== deviceId) throw new OtaError(`action ${sessionId} belongs to another device`, { code: 'not-found' });
    if (!session.cancelPending) return;
    await this.recordSession({ ...session, cancelPending: false });
    this.ctx.events.emit('session.updated', this.get(sessionId));
  }

  async cancelDeployment(id: string): Promise<Deployment> {
    const deployment = this.catalog.deployment(id);
    if (deployment.state === 'cancelled') return deployment;
    await this.ctx.record({ t: 'deployment.cancel', id, at: new Date().toISOString() });
    for (const s of [...this.ctx.model.sessions.values()]) {
      if (s.deploymentId !== id || !isActive(s)) continue;
      const ddi = this.ctx.model.devices.get(s.deviceId)?.protocol === 'ddi';
      await this.recordSession({ ...s, state: 'cancelled', endedAt: new Date().toISOString(), failureReason: `deployment ${id} was cancelled`, cancelPending: ddi });
      this.ctx.events.emit('session.updated', this.get(s.id));
    }
    const cancelled = this.catalog.deployment(id);
    this.ctx.events.emit('deployment.cancelled', cancelled);
    return cancelled;
  }

  /** Cancelled sessions a DDI device has not acknowledged yet. */
  pendingCancel(deviceId: string): UpdateSession | undefined {
    for (const s of this.ctx.model.sessionsOf(deviceId)) if (s.cancelPending) return s;
    return undefined;
  }

  /**
   * Marks a plain-URL or Arduino session done when the device, after the whole image was served,
   * comes back reporting the label or the version inside the image (a stress or rollback release:
   * waiting for the label would offer the same image again and again).
   */
  async confirmVersion(deviceId: string, version: string | undefined): Promise<void> {
    if (version === undefined) return;
    for (const s of [...this.ctx.model.sessionsOf(deviceId)]) {
      if (!isActive(s) || s.bytesServed < s.size) continue;
      const release = this.ctx.model.releases.get(s.releaseId);
      if (!release || (release.label !== version && (await releaseEmbeddedVersion(this.ctx, release)) !== version)) continue;
      if (!isActive(s)) continue;
      this.runningAfter.set(s.id, version);
      await this.setStateDurably(s, 'succeeded');
    }
  }

  /**
   * A DDI device reported the version it runs (configData). While a session is past its download
   * this is the device back from its reboot; a session that succeeded before the device said what
   * it runs gets its version outcome now.
   */
  async versionReported(deviceId: string, version: string): Promise<void> {
    const sessions = this.ctx.model.sessionsOf(deviceId);
    for (const s of sessions) if (s.state === 'downloaded' || s.state === 'installing') this.runningAfter.set(s.id, version);
    const last = sessions.at(-1);
    if (last?.state !== 'succeeded' || last.version?.verdict !== 'unreported') return;
    const outcome = await this.versionOutcome(last, version);
    if (!outcome) return;
    await this.recordSession({ ...last, version: outcome });
    this.ctx.events.emit('session.updated', this.get(last.id));
  }

  /**
   * Without a report seen during the install (the server restarted in between), a version the
   * device reports that differs from the one it had when the session opened can only be the new
   * one (device attributes are journaled). The same version stays unknown: it may be the old one.
   */
  private changedVersion(session: UpdateSession): string | undefined {
    const now = this.ctx.model.devices.get(session.deviceId)?.attributes[ddiAttribute.version];
    return now !== undefined && session.versionBefore !== undefined && now !== session.versionBefore ? now : undefined;
  }

  private async versionOutcome(session: UpdateSession, running: string | undefined): Promise<UpdateSession['version']> {
    const release = this.ctx.model.releases.get(session.releaseId);
    if (!release) return undefined;
    return judgeVersion(release.label, await releaseEmbeddedVersion(this.ctx, release), running, session.versionBefore);
  }

  tick(now: number): void {
    const timeout = this.ctx.settings.offlineTimeoutMs;
    for (const s of this.ctx.model.sessions.values()) {
      if (!isActive(s)) continue;
      const ddi = this.ctx.model.devices.get(s.deviceId)?.protocol === 'ddi';
      // Without DDI feedback a finished download is all the server will learn: do not fail it.
      if (!ddi && s.state === 'downloaded') continue;
      const silent = now - Date.parse(s.lastActivity);
      const reason = silenceVerdict(s, silent, timeout, this.ctx.settings.installTimeoutMs);
      if (reason) void this.setStateDurably(s, 'failed', reason).catch((err: unknown) => this.ctx.log.warn(`could not record session ${s.id} failure: ${String(err)}`));
    }
    this.flushDirty();
  }

  /**
   * Progress goes to subscribers every tick, to the journal at most every few seconds per
   * session: after a crash it may be a little behind, which only means the device's next Range
   * request is counted again.
   */
  private flushDirty(force = false): void {
    const now = Date.now();
    for (const id of this.dirty) {
      const s = this.ctx.model.sessions.get(id);
      if (s) this.ctx.events.emit('session.updated', s, false);
      this.unjournaled.add(id);
    }
    this.dirty.clear();
    for (const id of this.unjournaled) {
      const s = this.ctx.model.sessions.get(id);
      if (s && !force && now - (this.journaled.get(id) ?? 0) < 2000) continue;
      const record = s && this.ctx.model.sessionRecord(s);
      if (record) this.ctx.recordLazily(record, () => this.ctx.model.sessionRecordLost(id));
      this.journaled.set(id, now);
      this.unjournaled.delete(id);
    }
  }

  /**
   * Journals `next` durably as what changed since the session's last record (the whole session
   * the first time): a progress or feedback update does not repeat the session's details.
   */
  private async recordSession(next: UpdateSession): Promise<void> {
    const record = this.ctx.model.sessionRecord(next);
    if (!record) return;
    try {
      await this.ctx.applyThenRecord(record);
    } catch (err) {
      this.ctx.model.sessionRecordLost(next.id);
      throw err;
    }
  }

  private coverageOf(session: UpdateSession): Coverage {
    let c = this.coverage.get(session.id);
    if (!c) this.coverage.set(session.id, (c = new Coverage()));
    return c;
  }

  private addDetail(session: UpdateSession, detail: string): void {
    session.details = [...session.details, detail].slice(-20);
  }

  private setState(session: UpdateSession, state: SessionState): void {
    void this.setStateDurably(session, state).catch((err: unknown) => this.ctx.log.warn(`could not record session ${session.id}: ${String(err)}`));
  }

  private async setStateDurably(session: UpdateSession, state: SessionState, reason?: string, cancelPending?: boolean): Promise<void> {
    const terminal = state === 'succeeded' || state === 'failed' || state === 'cancelled';
    const version = state === 'succeeded' && isActive(session) ? await this.versionOutcome(session, this.runningAfter.get(session.id) ?? this.changedVersion(session)) : undefined;
    const next: UpdateSession = {
      ...session,
      state,
      ...(version ? { version } : {}),
      ...(terminal ? { endedAt: new Date().toISOString() } : {}),
      ...(reason ? { failureReason: reason } : {}),
      ...(cancelPending !== undefined ? { cancelPending } : {}),
    };
    this.dirty.delete(session.id);
    this.unjournaled.delete(session.id);
    if (terminal) {
      this.runningAfter.delete(session.id);
      this.coverage.delete(session.id);
      this.firstByte.delete(session.id);
      this.journaled.delete(session.id);
    }
    await this.recordSession(next);
    this.ctx.events.emit('session.updated', this.get(session.id));
  }
}
