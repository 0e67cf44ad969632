import type { Deployment, Device, Release, RolloutSummary, ServerEvent, StatusReport, UpdateSession, WhyNotOffered } from '../core/protocol/management';

/**
 * A server's state as one status snapshot with every event since applied on top, so a view of our
 * server follows its event stream instead of polling it. Events replayed on reconnect that are
 * older than what the snapshot holds are ignored.
 */
export class StatusModel {
  private readonly devices = new Map<string, Device>();
  private readonly sessions = new Map<string, UpdateSession>();
  private readonly releases = new Map<string, Release>();
  private readonly deployments = new Map<string, Deployment>();
  private readonly products = new Map<string, string[]>();
  private readonly rollouts = new Map<string, RolloutSummary>();

  constructor(private snapshot: StatusReport) {
    this.reset(snapshot);
  }

  reset(snapshot: StatusReport): void {
    this.snapshot = snapshot;
    refill(this.devices, snapshot.devices);
    refill(this.sessions, snapshot.sessions);
    refill(this.releases, snapshot.releases);
    refill(this.deployments, snapshot.deployments);
    refill(this.rollouts, snapshot.rollouts ?? []);
    this.products.clear();
    for (const p of snapshot.products) this.products.set(p.pid, [...p.keys]);
  }

  /** Applies one event; false when it changed nothing a view shows. */
  apply(event: ServerEvent): boolean {
    const data = event.data as Record<string, unknown>;
    switch (event.type) {
      case 'device.seen':
      case 'device.attributes': {
        const device = data as unknown as Device;
        const known = this.devices.get(device.id);
        if (known && known.lastSeen > device.lastSeen) return false;
        this.devices.set(device.id, device);
        // A polling device is announced every few seconds: only news (first contact, attributes) counts as a change.
        return !known || JSON.stringify(known.attributes) !== JSON.stringify(device.attributes);
      }
      case 'device.not-offered': {
        const { deviceId, ...entry } = data as unknown as WhyNotOffered & { deviceId: string };
        const device = this.devices.get(deviceId);
        if (!device) return false;
        this.devices.set(deviceId, { ...device, whyNot: [...device.whyNot.filter((w) => w.deploymentId !== entry.deploymentId), entry] });
        return true;
      }
      case 'device.not-offered-cleared': {
        const device = this.devices.get(String(data.deviceId));
        if (!device) return false;
        this.devices.set(device.id, { ...device, whyNot: device.whyNot.filter((w) => w.deploymentId !== String(data.deploymentId)) });
        return true;
      }
      case 'session.updated': {
        const session = data as unknown as UpdateSession;
        const known = this.sessions.get(session.id);
        if (known && known.lastActivity > session.lastActivity) return false;
        this.sessions.set(session.id, session);
        return true;
      }
      case 'release.created':
        this.releases.set((data as unknown as Release).id, data as unknown as Release);
        return true;
      case 'release.deleted':
        return this.releases.delete(String(data.id));
      case 'deployment.created':
      case 'deployment.cancelled':
        this.deployments.set((data as unknown as Deployment).id, data as unknown as Deployment);
        return true;
      case 'product.keys':
        this.products.set(String(data.pid), [...(data.keys as string[])]);
        return true;
      case 'rollout.deleted':
        return this.rollouts.delete(String(data.id));
    }
    if (event.type.startsWith('rollout.')) return this.applyRollout(data);
    return false;
  }

  /** Every other rollout event carries the whole rollout (plus `group` or `reason` for some): it replaces what was known. */
  private applyRollout(data: Record<string, unknown>): boolean {
    if (typeof data.id !== 'string' || !Array.isArray(data.groups)) return false;
    const { group: _group, ...rest } = data;
    const rollout = rest as unknown as RolloutSummary;
    const known = this.rollouts.get(rollout.id);
    // A replayed event older than the snapshot's state changes nothing.
    if (known && known.updatedAt > rollout.updatedAt) return false;
    this.rollouts.set(rollout.id, rollout);
    return true;
  }

  /** The state now, in the shape of `GET /api/v1/status`. */
  report(): StatusReport {
    return {
      ...this.snapshot,
      products: [...this.products].map(([pid, keys]) => ({ pid, keys })),
      releases: [...this.releases.values()],
      deployments: [...this.deployments.values()],
      devices: [...this.devices.values()],
      sessions: [...this.sessions.values()],
      // Absent from an older server's snapshot: stays absent until a rollout event says otherwise.
      ...(this.snapshot.rollouts || this.rollouts.size ? { rollouts: [...this.rollouts.values()] } : {}),
    };
  }
}

function refill<T extends { id: string }>(map: Map<string, T>, values: readonly T[]): void {
  map.clear();
  for (const v of values) map.set(v.id, v);
}
