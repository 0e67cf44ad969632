import * as l10n from '@vscode/l10n';
import { h } from '../dom';
import { clock } from '../format';
import type { LiveState } from '../liveState';
import type { WebviewCommand } from '../protocol';

/** Records drawn at most: a fleet where thousands carry the wrong key needs the first few and a count. */
const shown = 50;

/**
 * Why-not records of the active deployments: the server's reason names what the device reported,
 * what the deployment needs and what to change (bind the key, deploy another channel…).
 */
export function whyNotSection(state: LiveState, send: (c: WebviewCommand) => void): HTMLElement {
  // Stopped or unreachable: the records are last known, and "every device was offered" would be a claim the view cannot make.
  if (state.connection && state.connection.state !== 'live') {
    return h('p', { class: 'muted' }, l10n.t('Not connected to the server: why-not records show when it is live again.'));
  }
  const rows: HTMLElement[] = [];
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
      rows.push(
        h(
          'div',
          { class: 'whynot', 'data-device': device.id, 'data-deployment': w.deploymentId },
          h('div', { class: 'whynot-head' }, h('strong', {}, device.id), h('span', { class: 'muted' }, ` · ${l10n.t('deployment {0}', w.deploymentId)}${deployment ? ` (${state.releaseLabel(deployment.releaseId)})` : ''} · ${clock(w.at)}`)),
          h('div', { class: 'reason' }, w.reason),
          pid && state.snapshot?.byPid[pid]
            ? h('div', { class: 'actions' }, h('vscode-button', { secondary: true, 'data-key': `keys:${device.id}:${w.deploymentId}`, onClick: () => send({ command: 'showProductKeys', pid }) }, l10n.t('Keys bound to {0} in the config', pid)))
            : undefined,
        ),
      );
    }
  }
  if (rows.length === 0) return h('p', { class: 'muted' }, l10n.t('Every device the active deployments target was offered its update.'));
  return h('div', { class: 'whynots' }, ...rows, more ? h('p', { class: 'muted' }, l10n.t('…and {0} more', more)) : undefined);
}
