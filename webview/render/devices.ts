import * as l10n from '@vscode/l10n';
import type { Device } from '../../src/core/protocol/management';
import { h } from '../dom';
import { ago, clock } from '../format';
import type { LiveState } from '../liveState';
import { mismatches } from '../mismatch';
import type { WebviewCommand } from '../protocol';
import { stateBadge } from './badges';

/** Column headings; each cell carries its own as `data-label`, shown beside it in the narrow card layout. */
export function labels() {
  return {
    device: l10n.t('Device'),
    pid: l10n.t('PID'),
    fwKey: l10n.t('Firmware key'),
    channel: l10n.t('Channel'),
    version: l10n.t('Embedded version'),
    lastSeen: l10n.t('Last seen'),
    update: l10n.t('Update'),
  };
}
export type Labels = ReturnType<typeof labels>;

/** One cell: what the device reports, and beneath it what the config expects when that differs. */
function cell(reported: string | undefined, expected: string[], label: string): HTMLElement {
  const wrong = reported !== undefined && expected.length > 0 && !expected.includes(reported);
  return h(
    'td',
    { class: wrong ? 'mismatch' : undefined, 'data-label': label },
    h('span', { class: 'value' }, reported ?? '–'),
    wrong ? h('div', { class: 'expected' }, l10n.t('config: {0}', expected.join(l10n.t(' or ')))) : undefined,
  );
}

/** One device's row (a card in the narrow layout); `send` carries its Deploy button's message. */
export function row(state: LiveState, device: Device, label: Labels, send: (c: WebviewCommand) => void): HTMLElement {
  const a = device.attributes;
  const expected = state.expectationFor(device);
  const session = state.latestSession(device.id);
  const problems = mismatches(device, expected);
  const demo = state.snapshot?.demo?.devices.includes(device.id);
  const tr = h(
    'tr',
    { role: 'row', 'data-device': device.id, class: problems.length ? 'has-mismatch' : undefined, title: problems.join('\n') || undefined },
    h(
      'td',
      { class: 'device', 'data-label': label.device },
      h('strong', {}, device.id),
      h('div', { class: 'sub' }, [expected?.configName, device.protocol, demo ? l10n.t('simulated') : undefined].filter(Boolean).join(' · ')),
      // Only while connected: a stopped or unreachable server cannot take a deployment.
      state.connection?.state === 'live'
        ? h('vscode-button', { secondary: true, class: 'deploy', 'data-key': `deploy:${device.id}`, 'aria-label': l10n.t('Deploy to {0}', device.id), onClick: () => send({ command: 'deployToDevice', deviceId: device.id }) }, l10n.t('Deploy…'))
        : undefined,
    ),
    cell(a.pid, expected?.pid ? [expected.pid] : [], label.pid),
    cell(a.fw_key, expected?.fwKeys ?? [], label.fwKey),
    cell(a.channel, expected?.channels ?? [], label.channel),
    h('td', { class: 'version', 'data-label': label.version }, h('span', { class: 'value' }, a.version ?? '–')),
    h('td', { class: 'last-seen', 'data-label': label.lastSeen, 'data-last-seen': device.lastSeen, title: l10n.t("{0} (server time of the device's last request)", clock(device.lastSeen)) }, ago(device.lastSeen)),
    h(
      'td',
      { class: 'update', 'data-label': label.update },
      session
        ? stateBadge(session.state, session.state === 'downloading' ? `${Math.round(session.progress * 100)}%` : undefined)
        : h('span', { class: 'muted' }, state.whyNotOf(device).length ? l10n.t('not offered') : l10n.t('no update')),
    ),
  );
  for (const td of tr.children) td.setAttribute('role', 'cell');
  return tr;
}

/** The table's head: the same for the full and the windowed table. */
export function tableHead(label: Labels): HTMLElement {
  const heads = [label.device, label.pid, label.fwKey, label.channel, label.version, label.lastSeen, label.update];
  return h('thead', { role: 'rowgroup' }, h('tr', { role: 'row' }, ...heads.map((text) => h('th', { role: 'columnheader', scope: 'col' }, text))));
}

/**
 * The devices the server knows, reported attributes side by side with the config's expectations.
 * A table where it fits; the stylesheet turns each row into a card in a narrow view (the roles keep
 * it a table for screen readers when its display changes). Every row is drawn: for a fleet too
 * large for that, deviceTable.ts draws only the rows in sight.
 */
export function devicesSection(state: LiveState, send: (c: WebviewCommand) => void): HTMLElement {
  if (state.sortedIds.length === 0) return h('p', { class: 'muted' }, l10n.t('No device has contacted this server yet. Devices appear here when they poll.'));
  const label = labels();
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { class: 'grid devices', role: 'table', 'aria-label': l10n.t('Devices') },
      tableHead(label),
      h('tbody', { role: 'rowgroup' }, ...state.sortedIds.map((id) => row(state, state.devices.get(id)!, label, send))),
    ),
  );
}
