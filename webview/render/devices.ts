import type { Device } from '../../src/core/protocol/management';
import { h } from '../dom';
import { ago, clock } from '../format';
import type { LiveState } from '../liveState';
import { mismatches } from '../mismatch';
import { stateBadge } from './badges';

/** One cell: what the device reports, and beneath it what the config expects when that differs. */
function cell(reported: string | undefined, expected: string[], label: string): HTMLElement {
  const wrong = reported !== undefined && expected.length > 0 && !expected.includes(reported);
  return h(
    'td',
    { class: wrong ? 'mismatch' : undefined, 'data-label': label },
    h('span', { class: 'value' }, reported ?? '–'),
    wrong ? h('div', { class: 'expected' }, `config: ${expected.join(' or ')}`) : undefined,
  );
}

function row(state: LiveState, device: Device): HTMLElement {
  const a = device.attributes;
  const expected = state.expectationFor(device);
  const session = state.latestSession(device.id);
  const problems = mismatches(device, expected);
  const demo = state.snapshot?.demo?.devices.includes(device.id);
  return h(
    'tr',
    { 'data-device': device.id, class: problems.length ? 'has-mismatch' : undefined, title: problems.join('\n') || undefined },
    h('td', { class: 'device' }, h('strong', {}, device.id), h('div', { class: 'sub' }, [expected?.configName, device.protocol, demo ? 'simulated' : undefined].filter(Boolean).join(' · '))),
    cell(a.pid, expected?.pid ? [expected.pid] : [], 'pid'),
    cell(a.fw_key, expected?.fwKeys ?? [], 'fw_key'),
    cell(a.channel, expected?.channels ?? [], 'channel'),
    h('td', { class: 'version', 'data-label': 'version' }, h('span', { class: 'value' }, a.version ?? '–')),
    h('td', { class: 'last-seen', 'data-label': 'last seen', 'data-last-seen': device.lastSeen, title: `${clock(device.lastSeen)} (server time of the device's last request)` }, ago(device.lastSeen)),
    h('td', {}, session ? stateBadge(session.state, session.state === 'downloading' ? `${Math.round(session.progress * 100)}%` : undefined) : h('span', { class: 'muted' }, state.whyNotOf(device).length ? 'not offered' : 'no update')),
  );
}

/** The devices the server knows, reported attributes side by side with the config's expectations. */
export function devicesSection(state: LiveState): HTMLElement {
  const devices = [...state.devices.values()].sort((x, y) => x.id.localeCompare(y.id));
  if (devices.length === 0) return h('p', { class: 'muted' }, 'No device has contacted this server yet. Devices appear here when they poll.');
  return h(
    'table',
    { class: 'grid devices' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Device'), h('th', {}, 'PID'), h('th', {}, 'Firmware key'), h('th', {}, 'Channel'), h('th', {}, 'Embedded version'), h('th', {}, 'Last seen'), h('th', {}, 'Update'))),
    h('tbody', {}, ...devices.map((d) => row(state, d))),
  );
}
