import * as vscode from 'vscode';
import type { Deployment, Device, StatusReport, UpdateSession, WhyNotOffered } from '../core/protocol/management';
import type { RolloutStatus } from '../providers/provider';
import { rolloutNode } from './tree/rolloutNodes';
import { group, type TreeNode } from './tree/treeNode';
import { whyNotNode } from './tree/whyNotNode';

/** Which server of which folder the rows belong to (ids and command targets). */
export interface ServerScope {
  folder: vscode.Uri;
  server: string;
}

/**
 * The live rows under a server — its releases, deployments with progress, devices with version,
 * online state, session progress and why-not — from a status snapshot kept current by the event
 * stream (ours) or polling (hawkBit), in the live view's model so both kinds look alike.
 */
export function serverStatusNodes(scope: ServerScope, report: StatusReport, rollouts: RolloutStatus[] | undefined, now = Date.now()): TreeNode[] {
  const base = `${scope.folder.toString()}#server/${scope.server}`;
  const releases = new Map(report.releases.map((r) => [r.id, r]));
  const deployments = new Map(report.deployments.map((d) => [d.id, d]));
  const latest = latestSessions(report.sessions);
  const boundKeys = new Map(report.products.map((p) => [p.pid, p.keys]));
  const onlineMs = Math.max(report.server.offlineTimeoutMs, 30_000);
  const nodes = [
    group(`${base}/releases`, vscode.l10n.t('Releases'), 'package', report.releases.map((r) => ({
      id: `${base}/release/${r.id}`,
      label: `${r.filename} ${r.label}`,
      description: `${r.pid} · ${r.fwKey} · ${r.channel}`,
      tooltip: [vscode.l10n.t('sha256 {0}', r.sha256), vscode.l10n.t('{0} bytes · {1}', r.size, r.createdAt), ...(r.signedManifest ? [vscode.l10n.t('with its signed manifest')] : [])].join('\n'),
      icon: 'package',
    }))),
    group(`${base}/deployments`, vscode.l10n.t('Deployments'), 'rocket', report.deployments.map((d) => deploymentNode(base, d, releases.get(d.releaseId)?.label, report.sessions, report.devices))),
    group(`${base}/devices`, vscode.l10n.t('Devices'), 'device-mobile', report.devices.map((d) => {
      const session = latest.get(d.id);
      const online = now - Date.parse(d.lastSeen) < onlineMs;
      const version = d.attributes['version'];
      const standing = d.whyNot.filter((w) => deployments.get(w.deploymentId)?.state !== 'cancelled');
      const parts = [version ? `v${version}` : vscode.l10n.t('version not reported'), online ? vscode.l10n.t('online') : vscode.l10n.t('offline')];
      if (session) parts.push(sessionWords(session));
      const attrs = ['pid', 'fw_key', 'channel', 'version'].filter((k) => d.attributes[k] !== undefined).map((k) => `${k}=${d.attributes[k]}`);
      return {
        id: `${base}/device/${d.id}`,
        label: d.id,
        description: parts.join(' · '),
        tooltip: [attrs.join(' '), vscode.l10n.t('last seen {0}', d.lastSeen), ...standing.map((w) => vscode.l10n.t('not offered: {0}', w.reason))].join('\n'),
        icon: standing.length ? 'warning' : online ? 'device-mobile' : 'debug-disconnect',
        ...(standing.length ? { iconColor: 'list.warningForeground' } : {}),
        contextValue: 'ota.device',
        target: { folder: scope.folder, server: scope.server, deviceId: d.id },
        children: standing.map((w) => whyNotNode(scope, d, w, deployments.get(w.deploymentId), boundKeys)),
      } satisfies TreeNode;
    })),
  ];
  if (rollouts) {
    nodes.push(group(`${base}/rollouts`, vscode.l10n.t('Rollouts'), 'rocket', rollouts.map((r) => rolloutNode(base, scope, r))));
  }
  return nodes;
}

function deploymentNode(base: string, d: Deployment, label: string | undefined, sessions: UpdateSession[], devices: Device[]): TreeNode {
  const ours = sessions.filter((s) => s.deploymentId === d.id);
  const done = ours.filter((s) => s.state === 'succeeded').length;
  // "n of m": devices it targets by name, else the devices that opened a session or were refused it.
  const refused = devices.filter((dev) => dev.whyNot.some((w: WhyNotOffered) => w.deploymentId === d.id)).length;
  const total = d.devices === 'all' ? new Set(ours.map((s) => s.deviceId)).size + refused : d.devices.length;
  const failed = ours.filter((s) => s.state === 'failed').length;
  const words = [vscode.l10n.t('{0}/{1} updated', done, total)];
  if (failed) words.push(vscode.l10n.t('{0} failed', failed));
  if (d.state === 'cancelled') words.push(vscode.l10n.t('cancelled'));
  return {
    id: `${base}/deployment/${d.id}`,
    label: `${label ?? d.releaseId} → ${d.devices === 'all' ? vscode.l10n.t('all matching') : d.devices.join(', ')}`,
    description: words.join(' · '),
    tooltip: `${d.pid} · ${d.fwKey} · ${d.channel} · ${d.type}\n${d.createdAt}`,
    icon: d.state === 'cancelled' ? 'circle-slash' : done === total && total > 0 ? 'pass' : 'sync',
  };
}

/** The newest session per device. */
function latestSessions(sessions: UpdateSession[]): Map<string, UpdateSession> {
  const out = new Map<string, UpdateSession>();
  for (const s of sessions) {
    const known = out.get(s.deviceId);
    if (!known || s.startedAt > known.startedAt || (s.startedAt === known.startedAt && Number(s.id) > Number(known.id))) out.set(s.deviceId, s);
  }
  return out;
}

function sessionWords(s: UpdateSession): string {
  const pct = `${Math.round(s.progress * 100)}%`;
  switch (s.state) {
    case 'offered':
      return vscode.l10n.t('offered');
    case 'downloading':
      return vscode.l10n.t('downloading {0}', pct);
    case 'downloaded':
      return vscode.l10n.t('downloaded');
    case 'installing':
      return vscode.l10n.t('installing');
    case 'succeeded':
      return vscode.l10n.t('updated');
    case 'failed':
      return vscode.l10n.t('failed: {0}', s.failureReason ?? '?');
    case 'cancelled':
      return vscode.l10n.t('cancelled');
  }
}
