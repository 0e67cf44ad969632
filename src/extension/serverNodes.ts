// @vscode/l10n, not vscode.l10n: these rows are also built in unit tests outside VS Code; activate() hands it VS Code's bundle.
import * as l10n from '@vscode/l10n';
import type { StatusReport } from '../core/protocol/management';
import type { RolloutStatus } from '../providers/provider';
import type { TreeNode } from './workspaceTree';

/**
 * The rows under a remote server in the OTA view — its devices (with why-not), actions (update
 * sessions, with their history) and rollouts — from the provider's status in the live view's
 * model, so a hawkBit server and ours look alike.
 */
export function serverStatusNodes(report: StatusReport, rollouts: RolloutStatus[] | undefined): TreeNode[] {
  const group = (label: string, icon: string, children: TreeNode[]): TreeNode => ({ label, icon, description: String(children.length), children });
  const releases = new Map(report.releases.map((r) => [r.id, r]));
  const nodes = [
    group(l10n.t('Devices'), 'device-mobile', report.devices.map((d) => {
      const attrs = ['pid', 'fw_key', 'channel', 'version'].filter((k) => d.attributes[k] !== undefined).map((k) => `${k}=${d.attributes[k]}`);
      return {
        label: d.id,
        description: attrs.join(' '),
        tooltip: d.whyNot.map((w) => l10n.t('not offered: {0}', w.reason)).join('\n') || undefined,
        icon: d.whyNot.length ? 'warning' : 'device-mobile',
        contextValue: 'ota.remoteDevice',
        children: d.whyNot.map((w) => ({ label: l10n.t('not offered'), description: w.reason, tooltip: w.reason, icon: 'circle-slash' })),
      };
    })),
    group(l10n.t('Actions'), 'history', report.sessions.map((s) => {
      const release = releases.get(s.releaseId);
      return {
        label: `${s.deviceId}: ${s.state}`,
        description: `${Math.round(s.progress * 100)}%${release ? ` · ${release.filename} ${release.label}` : ''}`,
        tooltip: [s.failureReason, ...s.details].filter(Boolean).join('\n') || undefined,
        icon: s.state === 'succeeded' ? 'pass' : s.state === 'failed' ? 'error' : s.state === 'cancelled' ? 'circle-slash' : 'sync',
        contextValue: 'ota.remoteAction',
        children: s.details.map((line) => ({ label: line, icon: 'dash' })),
      };
    })),
  ];
  if (rollouts) {
    nodes.push(group(l10n.t('Rollouts'), 'rocket', rollouts.map((r) => ({
      label: r.name,
      description: l10n.t('{0} · {1} target(s)', r.status, r.totalTargets),
      tooltip: Object.entries(r.perStatus).map(([k, n]) => `${k}: ${n}`).join('\n') || undefined,
      icon: r.state === 'paused' ? 'debug-pause' : r.state === 'finished' ? 'pass' : 'rocket',
      contextValue: `ota.rollout.${r.state}`,
    }))));
  }
  return nodes;
}
