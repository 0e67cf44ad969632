import * as l10n from '@vscode/l10n';
import { h } from '../dom';
import { clock } from '../format';
import type { LiveState } from '../liveState';
import type { WebviewCommand } from '../protocol';

/**
 * Why-not records of the active deployments: the server's reason names what the device reported,
 * what the deployment needs and what to change (bind the key, deploy another channel…).
 */
export function whyNotSection(state: LiveState, send: (c: WebviewCommand) => void): HTMLElement {
  const rows: HTMLElement[] = [];
  for (const device of [...state.devices.values()].sort((a, b) => a.id.localeCompare(b.id))) {
    for (const w of state.whyNotOf(device)) {
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
  return h('div', { class: 'whynots' }, ...rows);
}
