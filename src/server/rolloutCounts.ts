import type { Deployment, RolloutCounts, RolloutGroupStatus, RolloutSummary, UpdateSession } from '../core/protocol/management';
import type { Model } from './state/model';
import type { StoredRollout } from './state/records';
import { isActive } from './sessions';

export function emptyCounts(): RolloutCounts {
  return { total: 0, pending: 0, running: 0, succeeded: 0, failed: 0 };
}

/** The deployments made for each group of the rollout, oldest first (a retry adds one). */
export function groupDeployments(model: Model, rollout: StoredRollout): Deployment[][] {
  const out: Deployment[][] = rollout.groups.map(() => []);
  for (const d of model.deployments.values()) {
    if (d.rolloutId === rollout.id && d.rolloutGroup !== undefined) out[d.rolloutGroup]?.push(d);
  }
  for (const list of out) list.sort((a, b) => Number(a.id) - Number(b.id));
  return out;
}

/**
 * Where a device of a group stands: its session of the newest group deployment naming it decides
 * (a retry after a failure is a new deployment, and until the device asks again it is pending).
 */
export function deviceOutcome(model: Model, deviceId: string, deploymentId: string | undefined): keyof Omit<RolloutCounts, 'total'> {
  if (deploymentId === undefined) return 'pending';
  let latest: UpdateSession | undefined;
  for (const s of model.sessionsOf(deviceId)) {
    if (s.deploymentId === deploymentId && (!latest || Number(s.id) > Number(latest.id))) latest = s;
  }
  if (!latest) return 'pending';
  if (isActive(latest)) return 'running';
  return latest.state === 'succeeded' ? 'succeeded' : 'failed';
}

/** Device id → the newest of `deployments` (oldest first) that names it. */
export function newestDeploymentOf(deployments: readonly Deployment[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of deployments) if (d.devices !== 'all') for (const id of d.devices) out.set(id, d.id);
  return out;
}

/** The rollout as clients see it: its groups with counts from the sessions, device lists on request. */
export function summarize(model: Model, rollout: StoredRollout, withDevices: boolean): RolloutSummary {
  const deployments = groupDeployments(model, rollout);
  const total = emptyCounts();
  const groups = rollout.groups.map((g, index): RolloutGroupStatus => {
    const newest = newestDeploymentOf(deployments[index]!);
    const counts = emptyCounts();
    counts.total = g.devices.length;
    for (const device of g.devices) counts[deviceOutcome(model, device, newest.get(device))]++;
    for (const k of Object.keys(total) as (keyof RolloutCounts)[]) total[k] += counts[k];
    return {
      index,
      name: g.name,
      state: g.state,
      counts,
      deploymentIds: deployments[index]!.map((d) => d.id),
      ...(g.startedAt ? { startedAt: g.startedAt } : {}),
      ...(withDevices ? { devices: [...g.devices] } : {}),
    };
  });
  const { groups: _stored, ...rest } = rollout;
  return { ...rest, counts: total, groups };
}
