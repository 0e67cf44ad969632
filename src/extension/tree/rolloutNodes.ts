import * as vscode from 'vscode';
import type { RolloutStatus } from '../../providers/provider';
import type { ServerScope } from '../serverNodes';
import type { TreeNode } from './treeNode';

type Counts = RolloutStatus['perStatus'];

/** Succeeded and failed devices in either server's words: ours counts `succeeded`/`failed`, hawkBit `finished`/`error`. */
function outcome(per: Counts): { succeeded: number; failed: number } {
  return { succeeded: per['succeeded'] ?? per['finished'] ?? 0, failed: per['failed'] ?? per['error'] ?? 0 };
}

/** "3/5 succeeded · 1 failed" — the words a row and its screen-reader label share. */
function progressWords(per: Counts, total: number): string {
  const { succeeded, failed } = outcome(per);
  const words = [vscode.l10n.t('{0}/{1} succeeded', succeeded, total)];
  if (failed) words.push(vscode.l10n.t('{0} failed', failed));
  return words.join(' · ');
}

/**
 * A staged rollout row: its state (the server's own word), progress over all its devices, and one
 * child per group with that group's progress and state. The row is what Start / Pause / Resume act
 * on: its target names the rollout, its context value says which of them apply.
 */
export function rolloutNode(base: string, scope: ServerScope, r: RolloutStatus): TreeNode {
  const id = `${base}/rollout/${r.id}`;
  const { failed } = outcome(r.perStatus);
  return {
    id,
    label: r.name,
    description: `${r.status.replace(/_/g, ' ')} · ${progressWords(r.perStatus, r.totalTargets)}`,
    tooltip: [vscode.l10n.t('Rollout {0}: {1}', r.id, r.status), ...(r.reason ? [r.reason] : []), ...Object.entries(r.perStatus).map(([k, n]) => `${k}: ${n}`)].join('\n'),
    icon: r.state === 'paused' ? 'debug-pause' : r.state === 'finished' ? 'pass' : r.state === 'stopped' ? 'circle-slash' : 'rocket',
    ...(r.state === 'paused' || failed ? { iconColor: 'list.warningForeground' } : {}),
    contextValue: r.state === 'running' || r.state === 'paused' ? `ota.rollout.${r.state}` : 'ota.rollout',
    target: { folder: scope.folder, server: scope.server, rollout: r.id },
    children: r.groups.map((g) => {
      const group = outcome(g.perStatus);
      return {
        id: `${id}/group/${g.id}`,
        label: g.name,
        description: `${progressWords(g.perStatus, g.totalTargets)} · ${g.status.replace(/_/g, ' ')}`,
        tooltip: Object.entries(g.perStatus).map(([k, n]) => `${k}: ${n}`).join('\n') || undefined,
        icon: g.status === 'error' ? 'error' : g.status === 'succeeded' || g.status === 'finished' ? 'pass' : g.status === 'running' ? 'sync' : 'circle-large-outline',
        ...(g.status === 'error' || group.failed ? { iconColor: g.status === 'error' ? 'list.errorForeground' : 'list.warningForeground' } : {}),
      } satisfies TreeNode;
    }),
  };
}
