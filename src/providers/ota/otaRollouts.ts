import { OtaError } from '../../core/errors';
import type { RolloutStateName, RolloutSummary } from '../../core/protocol/management';
import type { RolloutApi, RolloutRequest, RolloutState, RolloutStatus } from '../provider';
import type { ManagementClient } from './managementClient';

/** Our server's word for a rollout's state, in the provider's common terms. */
const stateOf: Record<RolloutStateName, RolloutState> = {
  ready: 'ready',
  running: 'running',
  // The next group waits for an approve: the rollout is under way, not paused.
  waiting: 'running',
  paused: 'paused',
  finished: 'finished',
  cancelled: 'stopped',
};

/** Staged rollouts of our own server (`/api/v1/rollouts`), behind the same interface as hawkBit's. */
export class OtaRollouts implements RolloutApi {
  constructor(
    private readonly client: ManagementClient,
    private readonly where: string,
  ) {}

  async create(request: RolloutRequest, signal?: AbortSignal): Promise<RolloutStatus> {
    const type = request.type ?? 'forced';
    if (type !== 'soft' && type !== 'forced') {
      throw new OtaError(`an OTA Workbench server rolls out soft or forced updates only, not ${type}`, { where: this.where, hint: 'use --forced or soft (the default)' });
    }
    // Keys bound to the PID besides the channel's own reach devices shipped with an old key.
    const extraKeys = (request.boundKeys ?? []).filter((k) => k !== request.fwKey);
    if (request.pid && request.fwKey && extraKeys.length) await this.client.bindKeys(request.pid, [request.fwKey, ...extraKeys], signal);
    const created = await this.client.createRollout(
      {
        name: request.name,
        releaseId: request.releaseId,
        ...(request.pid ? { pid: request.pid } : {}),
        ...(request.fwKey ? { fwKey: request.fwKey } : {}),
        ...(request.channel ? { channel: request.channel } : {}),
        ...(request.devices?.length ? { devices: request.devices } : {}),
        groups: request.groupSizes ?? request.groups,
        ...(request.successThreshold !== undefined ? { successThreshold: request.successThreshold } : {}),
        ...(request.errorThreshold !== undefined ? { errorThreshold: request.errorThreshold } : {}),
        ...(request.advance ? { advance: request.advance } : {}),
        type,
      },
      signal,
    );
    return toStatus(created);
  }

  /** Our rollouts are ready as soon as they are created: no waiting. */
  async start(id: string, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<RolloutStatus> {
    return toStatus(await this.client.rolloutAction(id, 'start', options.signal));
  }

  async pause(id: string, signal?: AbortSignal): Promise<RolloutStatus> {
    return toStatus(await this.client.rolloutAction(id, 'pause', signal));
  }

  async resume(id: string, signal?: AbortSignal): Promise<RolloutStatus> {
    return toStatus(await this.client.rolloutAction(id, 'resume', signal));
  }

  async approve(id: string, signal?: AbortSignal): Promise<RolloutStatus> {
    return toStatus(await this.client.rolloutAction(id, 'approve', signal));
  }

  async cancel(id: string, signal?: AbortSignal): Promise<RolloutStatus> {
    return toStatus(await this.client.rolloutAction(id, 'cancel', signal));
  }

  async status(id: string, signal?: AbortSignal): Promise<RolloutStatus> {
    return toStatus(await this.client.rollout(id, signal));
  }

  async list(signal?: AbortSignal): Promise<RolloutStatus[]> {
    return (await this.client.rollouts(signal)).map(toStatus);
  }
}

export function toStatus(r: RolloutSummary): RolloutStatus {
  const per = (c: RolloutSummary['counts']) => ({ pending: c.pending, running: c.running, succeeded: c.succeeded, failed: c.failed });
  return {
    id: r.id,
    name: r.name,
    status: r.state,
    state: stateOf[r.state] ?? 'other',
    totalTargets: r.counts.total,
    perStatus: per(r.counts),
    groups: r.groups.map((g) => ({ id: String(g.index + 1), name: g.name, status: g.state, totalTargets: g.counts.total, perStatus: per(g.counts) })),
    ...(r.reason ? { reason: r.reason } : {}),
  };
}
