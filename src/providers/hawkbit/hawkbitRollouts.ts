import { OtaError } from '../../core/errors';
import type { RolloutApi, RolloutRequest, RolloutState, RolloutStatus } from '../provider';
import { fiqlEq, fiqlIn } from './fiql';
import type { HawkbitHttp } from './hawkbitHttp';
import type { HbRollout, HbRolloutGroup } from './hawkbitJson';
import { listAll } from './hawkbitFleet';

/** How often start() looks whether a new rollout's groups are built. */
const readyPollMs = 500;

/**
 * hawkBit rollouts (§2.9): groups over the targets whose attributes match the release's key and
 * channel, with success/error thresholds; a new rollout is `creating` until its groups exist, so
 * start waits for `ready`.
 */
export class HawkbitRollouts implements RolloutApi {
  constructor(private readonly http: HawkbitHttp) {}

  async create(request: RolloutRequest, signal?: AbortSignal): Promise<RolloutStatus> {
    if (!Number.isInteger(request.groups) || request.groups < 1) throw new OtaError(`a rollout needs at least one group, not ${request.groups}`, { hint: 'pass --groups N (N ≥ 1)' });
    for (const [name, v] of [['success', request.successThreshold], ['error', request.errorThreshold]] as const) {
      if (v !== undefined && (!(v >= 0) || v > 100)) throw new OtaError(`the ${name} threshold must be a percentage 0..100, not ${v}`);
    }
    if (request.groupSizes || request.devices || request.advance === 'approve') {
      throw new OtaError('group sizes, named devices and approved advance are rollouts of an OTA Workbench server', {
        where: `hawkBit server "${this.http.connection.name}"`,
        hint: 'with hawkBit, pass --groups N and let the success threshold start the next group',
      });
    }
    if (!request.fwKey || !request.channel) throw new OtaError('a hawkBit rollout needs the firmware key and the channel it is for', { hint: 'pass --channel (and --pid) or run in the workspace folder' });
    const keys = [...new Set([request.fwKey, ...(request.boundKeys ?? [])])];
    // Devices that do not report a PID are offered updates too (as by our server), so the PID is
    // not in the filter; key and channel are.
    const targetFilterQuery = `${fiqlIn('attribute.fw_key', keys)};${fiqlEq('attribute.channel', request.channel)}`;
    const body = {
      name: request.name,
      distributionSetId: Number(request.releaseId),
      targetFilterQuery,
      description: `OTA Workbench: PID ${request.pid ?? '(any)'}, channel ${request.channel}`,
      amountGroups: request.groups,
      type: request.type ?? 'forced',
      ...(request.type === 'timeforced' && request.forceTime !== undefined ? { forcetime: request.forceTime } : {}),
      successCondition: { condition: 'THRESHOLD', expression: String(request.successThreshold ?? 50) },
      successAction: { action: 'NEXTGROUP', expression: '' },
      errorCondition: { condition: 'THRESHOLD', expression: String(request.errorThreshold ?? 50) },
      errorAction: { action: 'PAUSE', expression: '' },
    };
    const rollout = await this.http.json<HbRollout>('POST', 'rest/v1/rollouts', { body, ...(signal ? { signal } : {}) });
    return this.status(String(rollout.id), signal);
  }

  async start(id: string, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<RolloutStatus> {
    const deadline = Date.now() + (options.timeoutMs ?? 120_000);
    for (;;) {
      const now = await this.status(id, options.signal);
      if (now.status === 'ready') break;
      if (now.status !== 'creating') {
        throw new OtaError(`rollout ${now.name} (id ${id}) is ${now.status}, not ready: it cannot start`, {
          where: `hawkBit server "${this.http.connection.name}"`,
          hint: now.status === 'waiting_for_approval' ? 'approve it in hawkBit first' : 'a rollout starts once, from ready; use pause/resume for one that runs',
        });
      }
      if (Date.now() > deadline) throw new OtaError(`rollout ${id} was still creating its groups after ${Math.round((options.timeoutMs ?? 120_000) / 1000)} s`, { hint: 'look at it in hawkBit, then run `ota rollout start` again' });
      await delay(readyPollMs, options.signal);
    }
    await this.http.json('POST', `rest/v1/rollouts/${encodeURIComponent(id)}/start`, options.signal ? { signal: options.signal } : {});
    return this.status(id, options.signal);
  }

  async pause(id: string, signal?: AbortSignal): Promise<RolloutStatus> {
    await this.http.json('POST', `rest/v1/rollouts/${encodeURIComponent(id)}/pause`, signal ? { signal } : {});
    return this.status(id, signal);
  }

  async resume(id: string, signal?: AbortSignal): Promise<RolloutStatus> {
    await this.http.json('POST', `rest/v1/rollouts/${encodeURIComponent(id)}/resume`, signal ? { signal } : {});
    return this.status(id, signal);
  }

  async approve(id: string, signal?: AbortSignal): Promise<RolloutStatus> {
    await this.http.json('POST', `rest/v1/rollouts/${encodeURIComponent(id)}/triggerNextGroup`, signal ? { signal } : {});
    return this.status(id, signal);
  }

  /** hawkBit 0.10 and later: `stop`; older servers answer 404 (delete the rollout there instead). */
  async cancel(id: string, signal?: AbortSignal): Promise<RolloutStatus> {
    await this.http.json('POST', `rest/v1/rollouts/${encodeURIComponent(id)}/stop`, signal ? { signal } : {});
    return this.status(id, signal);
  }

  async status(id: string, signal?: AbortSignal): Promise<RolloutStatus> {
    const rollout = await this.http.json<HbRollout>('GET', `rest/v1/rollouts/${encodeURIComponent(id)}`, signal ? { signal } : {});
    const groups = await listAll<HbRolloutGroup>(this.http, `rest/v1/rollouts/${encodeURIComponent(id)}/deploygroups`, signal);
    return toStatus(rollout, groups);
  }

  async list(signal?: AbortSignal): Promise<RolloutStatus[]> {
    const rollouts = await listAll<HbRollout>(this.http, 'rest/v1/rollouts', signal, { representation: 'full' });
    return rollouts.map((r) => toStatus(r, []));
  }
}

const states: readonly RolloutState[] = ['creating', 'ready', 'starting', 'running', 'paused', 'finished', 'stopped'];

function toStatus(r: HbRollout, groups: HbRolloutGroup[]): RolloutStatus {
  return {
    id: String(r.id),
    name: r.name,
    status: r.status,
    state: (states as readonly string[]).includes(r.status) ? (r.status as RolloutState) : 'other',
    totalTargets: r.totalTargets ?? 0,
    perStatus: { ...(r.totalTargetsPerStatus ?? {}) },
    groups: groups.map((g) => ({ id: String(g.id), name: g.name, status: g.status, totalTargets: g.totalTargets ?? 0, perStatus: { ...(g.totalTargetsPerStatus ?? {}) } })),
  };
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      reject(signal.reason as Error);
    }, { once: true });
  });
}
