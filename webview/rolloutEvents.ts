import type { RolloutSummary, ServerEvent } from '../src/core/protocol/management';

/**
 * The rollouts after one server event. Every `rollout.*` event but `rollout.deleted` carries the
 * whole rollout without device lists (some add `group` or `reason`), so it replaces what was known;
 * one replayed on reconnect that is older than what the snapshot holds changes nothing.
 */
export function withRolloutEvent(rollouts: readonly RolloutSummary[], event: ServerEvent): RolloutSummary[] {
  if (!event.type.startsWith('rollout.')) return [...rollouts];
  const data = event.data as Partial<RolloutSummary> & { id?: string; group?: number };
  if (event.type === 'rollout.deleted') return rollouts.filter((r) => r.id !== data.id);
  if (typeof data.id !== 'string' || !Array.isArray(data.groups)) return [...rollouts];
  const { group: _group, ...next } = data as RolloutSummary & { group?: number };
  const at = rollouts.findIndex((r) => r.id === next.id);
  if (at < 0) return [...rollouts, next];
  if (rollouts[at]!.updatedAt > next.updatedAt) return [...rollouts];
  return rollouts.map((r, i) => (i === at ? next : r));
}
