import * as l10n from '@vscode/l10n';
import { h } from '../dom';
import { clock } from '../format';
import type { LiveState } from '../liveState';
import type { WebviewCommand } from '../protocol';

/** Records drawn at most: a fleet where thousands carry the wrong key needs the first few and a count. */
const shown = 50;

/** What the section shows, as plain data: compared between frames before anything is drawn. */
export interface WhyNotData {
  connected: boolean;
  rows: { deviceId: string; deploymentId: string; release?: string; at: string; reason: string; keysOf?: string }[];
  more: number;
}

/** The why-not records of the active deployments, the first `shown` of them, by device id. */
export function whyNotData(state: LiveState): WhyNotData {
  // Stopped or unreachable: the records are last known, and "every device was offered" would be a claim the view cannot make.
  if (state.connection && state.connection.state !== 'live') return { connected: false, rows: [], more: 0 };
  const rows: WhyNotData['rows'] = [];
  let more = 0;
  for (const id of [...state.withWhyNot].sort()) {
    const device = state.devices.get(id);
    if (!device) continue;
    for (const w of state.whyNotOf(device)) {
      if (rows.length >= shown) {
        more++;
        continue;
      }
      const deployment = state.deployments.get(w.deploymentId);
      const pid = deployment?.pid ?? device.attributes.pid;
      rows.push({
        deviceId: device.id,
        deploymentId: w.deploymentId,
        ...(deployment ? { release: state.releaseLabel(deployment.releaseId) } : {}),
        at: w.at,
        reason: w.reason,
        ...(pid && state.snapshot?.byPid[pid] ? { keysOf: pid } : {}),
      });
    }
  }
  return { connected: true, rows, more };
}

/**
 * Why-not records of the active deployments: the server's reason names what the device reported,
 * what the deployment needs and what to change (bind the key, deploy another channel…).
 */
export function whyNotSection(data: WhyNotData, send: (c: WebviewCommand) => void): HTMLElement {
  if (!data.connected) return h('p', { class: 'muted' }, l10n.t('Not connected to the server: why-not records show when it is live again.'));
  if (data.rows.length === 0) return h('p', { class: 'muted' }, l10n.t('Every device the active deployments target was offered its update.'));
  const rows = data.rows.map((r) =>
    h(
      'div',
      { class: 'whynot', 'data-device': r.deviceId, 'data-deployment': r.deploymentId },
      h('div', { class: 'whynot-head' }, h('strong', {}, r.deviceId), h('span', { class: 'muted' }, ` · ${l10n.t('deployment {0}', r.deploymentId)}${r.release !== undefined ? ` (${r.release})` : ''} · ${clock(r.at)}`)),
      h('div', { class: 'reason' }, r.reason),
      r.keysOf
        ? h('div', { class: 'actions' }, h('vscode-button', { secondary: true, 'data-key': `keys:${r.deviceId}:${r.deploymentId}`, onClick: () => send({ command: 'showProductKeys', pid: r.keysOf! }) }, l10n.t('Keys bound to {0} in the config', r.keysOf)))
        : undefined,
    ),
  );
  return h('div', { class: 'whynots' }, ...rows, data.more ? h('p', { class: 'muted' }, l10n.t('…and {0} more', data.more)) : undefined);
}
