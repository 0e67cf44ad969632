import * as l10n from '@vscode/l10n';
import type { Device } from '../../src/core/protocol/management';
import { h } from '../dom';
import { ago, clock } from '../format';
import type { LiveState } from '../liveState';
import { mismatches } from '../mismatch';
import { stateBadge } from './badges';

/** Column headings; each cell carries its own as `data-label`, shown beside it in the narrow card layout. */
function labels() {
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
type Labels = ReturnType<typeof labels>;

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

function row(state: LiveState, device: Device, label: Labels): HTMLElement {
  const a = device.attributes;
  const expected = state.expectationFor(device);
  const session = state.latestSession(device.id);
  const problems = mismatches(device, expected);
  const demo = state.snapshot?.demo?.devices.includes(device.id);
  const tr = h(
    'tr',
    { role: 'row', 'data-device': device.id, class: problems.length ? 'has-mismatch' : undefined, title: problems.join('\n') || undefined },
    h('td', { class: 'device', 'data-label': label.device }, h('strong', {}, device.id), h('div', { class: 'sub' }, [expected?.configName, device.protocol, demo ? l10n.t('simulated') : undefined].filter(Boolean).join(' · '))),
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

/**
 * The devices the server knows, reported attributes side by side with the config's expectations.
 * A table where it fits; the stylesheet turns each row into a card in a narrow view (the roles keep
 * it a table for screen readers when its display changes).
 */
export function devicesSection(state: LiveState): HTMLElement {
  const devices = [...state.devices.values()].sort((x, y) => x.id.localeCompare(y.id));
  if (devices.length === 0) return h('p', { class: 'muted' }, l10n.t('No device has contacted this server yet. Devices appear here when they poll.'));
  const label = labels();
  const heads = [label.device, label.pid, label.fwKey, label.channel, label.version, label.lastSeen, label.update];
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { class: 'grid devices', role: 'table', 'aria-label': l10n.t('Devices') },
      h('thead', { role: 'rowgroup' }, h('tr', { role: 'row' }, ...heads.map((text) => h('th', { role: 'columnheader', scope: 'col' }, text)))),
      h('tbody', { role: 'rowgroup' }, ...devices.map((d) => row(state, d, label))),
    ),
  );
}
