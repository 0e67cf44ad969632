import { OtaError } from '../core/errors';
import type { Deployment, DeploymentRequest, Device, DeviceProtocol, Release } from '../core/protocol/management';
import type { ServerContext } from './context';
import { checkAttributes, checkDeviceId } from './deviceInput';
import { DeviceQuota } from './deviceQuota';
import { LastSeen } from './lastSeen';

/** Releases, products (PID → firmware keys), deployments and devices. */
export class Catalog {
  readonly lastSeen: LastSeen;
  private readonly quota: DeviceQuota;

  constructor(private readonly ctx: ServerContext) {
    this.lastSeen = new LastSeen(ctx, ctx.settings.seenEventIntervalMs);
    this.quota = new DeviceQuota(ctx.settings.maxDevices, ctx.settings.newDevicesPerMinute);
  }

  release(id: string): Release {
    const r = this.ctx.model.releases.get(id);
    if (!r) throw new OtaError(`no release ${id}`, { code: 'not-found', hint: 'list releases with GET /api/v1/releases' });
    return r;
  }

  async deleteRelease(id: string): Promise<void> {
    const release = this.release(id);
    const rollouts = [...this.ctx.model.rollouts.values()].filter((r) => r.releaseId === id && r.state !== 'finished' && r.state !== 'cancelled');
    if (rollouts.length > 0) {
      throw new OtaError(`release ${id} is used by rollout(s) ${rollouts.map((r) => r.id).join(', ')} that may still start groups`, { code: 'conflict', hint: 'cancel those rollouts first' });
    }
    const using = [...this.ctx.model.deployments.values()].filter((d) => d.releaseId === id && d.state === 'active');
    if (using.length > 0) {
      throw new OtaError(`release ${id} is used by active deployment(s) ${using.map((d) => d.id).join(', ')}`, {
        code: 'conflict',
        hint: 'cancel those deployments first',
      });
    }
    await this.ctx.contentLock.run(release.sha256, async () => {
      await this.ctx.record({ t: 'release.delete', id });
      // Another release may carry the same bytes (a stress test re-labels them): keep the file
      // then. An upload of the same bytes completing now waits for this section (uploads.ts), so
      // it either is a release already or puts the file back after this.
      const shared = [...this.ctx.model.releases.values()].some((r) => r.sha256 === release.sha256);
      if (!shared) await this.ctx.artifacts.removeArtifact(release.sha256);
    });
    this.ctx.events.emit('release.deleted', { id });
  }

  boundKeys(pid: string): ReadonlySet<string> {
    return this.ctx.model.products.get(pid) ?? new Set();
  }

  /** Binds keys to a PID; `replace` drops the others (a fleet with an old key loses its updates). */
  async bindKeys(pid: string, keys: readonly string[], replace: boolean): Promise<string[]> {
    if (pid.trim() === '') throw new OtaError('the PID is empty', { code: 'bad-request' });
    for (const k of keys) if (typeof k !== 'string' || k.trim() === '') throw new OtaError('firmware keys must be non-empty strings', { code: 'bad-request' });
    const next = new Set(replace ? [] : this.boundKeys(pid));
    for (const k of keys) next.add(k);
    await this.ctx.record({ t: 'product.keys', pid, keys: [...next] });
    this.ctx.events.emit('product.keys', { pid, keys: [...next] });
    return [...next];
  }

  /** `rollout`: the deployment starts (or retries) a group of that rollout. */
  async createDeployment(req: DeploymentRequest, rollout?: { rolloutId: string; rolloutGroup: number }): Promise<Deployment> {
    // hawkBit-style clients send numeric ids; ours are numeric strings.
    const releaseId: unknown = req.releaseId;
    if (typeof releaseId !== 'string' && !(typeof releaseId === 'number' && Number.isInteger(releaseId))) {
      throw new OtaError('"releaseId" must be the id of a release', { code: 'bad-request', hint: 'list releases with GET /api/v1/releases' });
    }
    const release = this.release(String(releaseId));
    const type = req.type ?? 'soft';
    if (type !== 'soft' && type !== 'forced') throw new OtaError('"type" must be "soft" or "forced"', { code: 'bad-request' });
    if (req.devices !== undefined && (!Array.isArray(req.devices) || req.devices.some((d) => typeof d !== 'string' || d === ''))) {
      throw new OtaError('"devices" must be a list of device ids (omit it for every matching device)', { code: 'bad-request' });
    }
    for (const f of ['pid', 'fwKey', 'channel'] as const) {
      if (req[f] !== undefined && (typeof req[f] !== 'string' || req[f] === '')) throw new OtaError(`"${f}" must be a non-empty string`, { code: 'bad-request' });
    }
    const deployment: Deployment = {
      id: this.ctx.model.nextId(),
      releaseId: release.id,
      pid: req.pid ?? release.pid,
      fwKey: req.fwKey ?? release.fwKey,
      channel: req.channel ?? release.channel,
      devices: req.devices && req.devices.length > 0 ? [...req.devices] : 'all',
      type,
      state: 'active',
      createdAt: new Date().toISOString(),
      ...rollout,
    };
    // The deployment's own key is bound to its PID: that is what "configure a deployment with key K" means.
    if (!this.boundKeys(deployment.pid).has(deployment.fwKey)) await this.bindKeys(deployment.pid, [deployment.fwKey], false);
    await this.ctx.record({ t: 'deployment', deployment });
    this.ctx.events.emit('deployment.created', deployment);
    return deployment;
  }

  deployment(id: string): Deployment {
    const d = this.ctx.model.deployments.get(id);
    if (!d) throw new OtaError(`no deployment ${id}`, { code: 'not-found' });
    return d;
  }

  /** A request from a device the server knows (feedback, cancel): only its last contact moves. */
  noteContact(id: string): void {
    const device = this.ctx.model.devices.get(id);
    if (device) this.lastSeen.note(device);
  }

  /**
   * Marks a device seen and merges what it reports. Durable only when the attributes change.
   * A new id must be a well-formed one and fit the device quota; what a device reports must fit
   * the attribute limits (deviceInput.ts), checked before anything is recorded.
   */
  async seeDevice(id: string, protocol: DeviceProtocol, report?: { mode: 'merge' | 'replace' | 'remove'; data: Record<string, unknown> }): Promise<Device> {
    const nowMs = Date.now();
    const now = new Date(nowMs).toISOString();
    const old = this.ctx.model.devices.get(id);
    if (old && !report) {
      this.lastSeen.note(old, nowMs);
      return old;
    }
    if (!old) checkDeviceId(id);
    let attributes = { ...(old?.attributes ?? {}) };
    if (report) {
      if (report.mode === 'remove') for (const k of Object.keys(report.data)) delete attributes[k];
      else {
        const data = checkAttributes(report.data, report.mode === 'replace' ? {} : attributes);
        if (report.mode === 'replace') attributes = data;
        else Object.assign(attributes, data);
      }
    }
    // configData once PUT (even with none of our attributes) stops the poll's configData link, as in hawkBit.
    const reported = old?.attributesReported === true || report !== undefined;
    if (!old) {
      this.quota.admit(id, this.ctx.model.devices.size, nowMs);
      try {
        const created = { id, protocol, attributes, firstSeen: now, lastSeen: now, ...(reported ? { attributesReported: true } : {}) };
        await this.ctx.record({ t: 'device', device: created }, report !== undefined);
      } finally {
        this.quota.created(id);
      }
    } else {
      const set: Record<string, string> = {};
      for (const [k, v] of Object.entries(attributes)) if (old.attributes[k] !== v) set[k] = v;
      const unset = Object.keys(old.attributes).filter((k) => !(k in attributes));
      const newlyReported = reported && old.attributesReported !== true;
      if (Object.keys(set).length === 0 && unset.length === 0 && old.protocol === protocol && !newlyReported) {
        this.lastSeen.note(old, nowMs);
        return old;
      }
      await this.ctx.record(
        {
          t: 'device.change',
          id,
          at: now,
          ...(old.protocol !== protocol ? { protocol } : {}),
          ...(Object.keys(set).length > 0 ? { set } : {}),
          ...(unset.length > 0 ? { unset } : {}),
          ...(newlyReported ? { reported: true as const } : {}),
        },
        report !== undefined,
      );
    }
    const seen = this.ctx.model.devices.get(id)!;
    // First contact (firstSeen === lastSeen) or new attributes: kept in the event history.
    this.ctx.events.emit(report ? 'device.attributes' : 'device.seen', seen);
    this.lastSeen.announcedNow(id, nowMs);
    return seen;
  }
}
