import type { Deployment, Device, Product, Release, UpdateSession } from '../../core/protocol/management';
import type { JournalRecord, PendingUpload, StoredRollout } from './records';
import { applySessionChange, sessionChange } from './sessionChange';

/**
 * Everything the server knows, rebuilt from the journal on start. `apply` is the only way to
 * change it, so replay and live operation go through the same code.
 */
export class Model {
  readonly uploads = new Map<string, PendingUpload>();
  readonly releases = new Map<string, Release>();
  readonly products = new Map<string, Set<string>>();
  readonly deployments = new Map<string, Deployment>();
  readonly devices = new Map<string, Device>();
  readonly sessions = new Map<string, UpdateSession>();
  readonly rollouts = new Map<string, StoredRollout>();
  /** Signed manifest bytes by release id, exactly as uploaded (served to devices as they are). */
  readonly signedManifests = new Map<string, Buffer>();
  /** Sessions per device: every device request looks its own up, and there may be thousands. */
  private readonly byDevice = new Map<string, UpdateSession[]>();
  /**
   * Each session as the journal says it is (shallow copies: the live objects move on with bytes
   * served before they are journaled). Session records are worked out against these, and the
   * snapshot writes them, so replaying snapshot + tail gives exactly what was journaled.
   */
  private readonly journaledSessions = new Map<string, UpdateSession>();
  private lastId = 0;

  /** Ids are small numbers (hawkBit action ids are numeric), unique across kinds. */
  nextId(): string {
    return String(++this.lastId);
  }

  apply(record: JournalRecord): void {
    switch (record.t) {
      case 'upload':
        this.uploads.set(record.upload.id, record.upload);
        break;
      case 'upload.end':
        this.uploads.delete(record.id);
        break;
      case 'release':
        this.seeId(record.release.id);
        this.releases.set(record.release.id, record.release);
        if (record.signedManifest !== undefined) this.signedManifests.set(record.release.id, Buffer.from(record.signedManifest, 'base64'));
        if (record.uploadId) this.uploads.delete(record.uploadId);
        break;
      case 'release.delete':
        this.releases.delete(record.id);
        this.signedManifests.delete(record.id);
        break;
      case 'product.keys':
        this.products.set(record.pid, new Set(record.keys));
        break;
      case 'deployment':
        this.seeId(record.deployment.id);
        this.deployments.set(record.deployment.id, record.deployment);
        break;
      case 'deployment.cancel': {
        const d = this.deployments.get(record.id);
        if (d) this.deployments.set(record.id, { ...d, state: 'cancelled', cancelledAt: record.at });
        break;
      }
      case 'device': {
        const old = this.devices.get(record.device.id);
        this.devices.set(record.device.id, { ...record.device, whyNot: old?.whyNot ?? [] });
        break;
      }
      case 'device.change': {
        const device = this.devices.get(record.id);
        if (!device) break;
        const attributes = { ...device.attributes, ...record.set };
        for (const k of record.unset ?? []) delete attributes[k];
        device.attributes = attributes;
        if (record.protocol) device.protocol = record.protocol;
        if (record.reported) device.attributesReported = true;
        if (record.at > device.lastSeen) device.lastSeen = record.at;
        break;
      }
      case 'whynot': {
        const device = this.devices.get(record.deviceId);
        if (!device) break;
        // One entry per deployment: the latest reason replaces the previous one, and an empty
        // reason (the device is offered the deployment now) removes it, so status never shows a
        // blank "not offered" entry.
        const others = device.whyNot.filter((w) => w.deploymentId !== record.entry.deploymentId);
        device.whyNot = record.entry.reason === '' ? others : [...others, record.entry];
        break;
      }
      case 'seen':
        for (const [id, at] of Object.entries(record.at)) {
          const device = this.devices.get(id);
          if (device && at > device.lastSeen) device.lastSeen = at;
        }
        break;
      case 'ids':
        this.lastId = Math.max(this.lastId, record.last);
        break;
      case 'rollout':
        this.seeId(record.rollout.id);
        this.rollouts.set(record.rollout.id, record.rollout);
        break;
      case 'rollout.step': {
        const r = this.rollouts.get(record.step.id);
        if (!r) break;
        const { id: _id, at, groups, reason, ...rest } = record.step;
        const next: StoredRollout = { ...r, ...rest, updatedAt: at, groups: r.groups.map((g, i) => ({ name: g.name, devices: g.devices, ...(groups[i] ?? g) })) };
        if (reason === undefined) delete next.reason;
        else next.reason = reason;
        this.rollouts.set(r.id, next);
        break;
      }
      case 'rollout.delete':
        this.rollouts.delete(record.id);
        break;
      case 'session': {
        this.seeId(record.session.id);
        // Update in place: transfers in flight hold the session object. A whole record over a
        // known session is what older servers wrote for every change.
        const existing = this.sessions.get(record.session.id);
        if (existing) Object.assign(existing, record.session);
        else {
          const session = { ...record.session };
          this.sessions.set(session.id, session);
          const list = this.byDevice.get(session.deviceId);
          if (list) list.push(session);
          else this.byDevice.set(session.deviceId, [session]);
        }
        this.journaledSessions.set(record.session.id, { ...this.journaledSessions.get(record.session.id), ...record.session });
        break;
      }
      case 'session.change': {
        const session = this.sessions.get(record.id);
        const journaled = this.journaledSessions.get(record.id);
        if (!session || !journaled) break;
        applySessionChange(session, record);
        applySessionChange(journaled, record);
        break;
      }
    }
  }

  /** The live state as the fewest records that rebuild it (for compacting the journal). */
  snapshot(): JournalRecord[] {
    const out: JournalRecord[] = [{ t: 'ids', last: this.lastId }];
    for (const upload of this.uploads.values()) out.push({ t: 'upload', upload });
    for (const release of this.releases.values()) {
      const signed = this.signedManifests.get(release.id);
      out.push({ t: 'release', release, ...(signed ? { signedManifest: signed.toString('base64') } : {}) });
    }
    for (const [pid, keys] of this.products) out.push({ t: 'product.keys', pid, keys: [...keys] });
    for (const deployment of this.deployments.values()) out.push({ t: 'deployment', deployment });
    for (const { whyNot, ...device } of this.devices.values()) {
      out.push({ t: 'device', device });
      for (const entry of whyNot) out.push({ t: 'whynot', deviceId: device.id, entry });
    }
    for (const session of this.sessions.values()) out.push({ t: 'session', session: this.journaledSessions.get(session.id) ?? session });
    for (const rollout of this.rollouts.values()) out.push({ t: 'rollout', rollout });
    return out;
  }

  /**
   * The record that journals `next` (a session's new state): the whole session the first time,
   * after that only what changed since its last record; undefined when nothing did. Apply it
   * before computing the next one.
   */
  sessionRecord(next: UpdateSession): JournalRecord | undefined {
    const journaled = this.journaledSessions.get(next.id);
    return journaled ? sessionChange(journaled, next) : { t: 'session', session: next };
  }

  /**
   * A session record that did not reach the disk: the next one is written whole, so a change
   * lost to a full disk is not missing from the journal for good.
   */
  sessionRecordLost(id: string): void {
    this.journaledSessions.delete(id);
  }

  sessionsOf(deviceId: string): readonly UpdateSession[] {
    return this.byDevice.get(deviceId) ?? [];
  }

  productList(): Product[] {
    return [...this.products].map(([pid, keys]) => ({ pid, keys: [...keys] }));
  }

  private seeId(id: string): void {
    const n = Number(id);
    if (Number.isInteger(n) && n > this.lastId) this.lastId = n;
  }
}
