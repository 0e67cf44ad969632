import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import * as l10n from '@vscode/l10n';
import type { ServerEvent, SessionState } from '../src/core/protocol/management';
import { Announcements } from './announcements';
import { describeView } from './describe';
import { h, redrawKeeping, show, showChanged } from './dom';
import { LiveState } from './liveState';
import { Messenger } from './messenger';
import type { HostNotification, PersistedViewState } from './protocol';
import { ConsoleView } from './render/consoleView';
import { DeviceTable } from './render/deviceTable';
import { EventLog } from './render/eventLog';
import { headerSection } from './render/header';
import { rolloutGroupsSection, rolloutStateWord } from './render/rolloutGroups';
import { SessionCards } from './render/sessions';
import { connectionWord, stateWord } from './stateWords';
import { whyNotData, whyNotSection } from './render/whyNot';
import { vscodeApi } from './vscodeApi';

// The host embeds the translations of VS Code's display language (none for English) as JSON.
const bundle = document.getElementById('l10n-bundle')?.textContent;
if (bundle) l10n.config({ contents: JSON.parse(bundle) as Record<string, string> });

const state = new LiveState();
const persisted: PersistedViewState = vscodeApi.getState() ?? { collapsed: [] };

/**
 * A section whose open/closed state survives re-rendering and reloads. A region landmark named by
 * its heading; its header toggles with Enter (the element's own) and Space (added here, as for any
 * button-like control).
 */
function section(name: string, heading: string): { root: HTMLElement; body: HTMLElement } {
  const body = h('div', { class: 'section-body' });
  const root = h('vscode-collapsible', { heading, open: !persisted.collapsed.includes(name), 'data-section': name, role: 'region', 'aria-label': heading }, body);
  const remember = (open: boolean) => {
    persisted.collapsed = open ? persisted.collapsed.filter((c) => c !== name) : [...new Set([...persisted.collapsed, name])];
    vscodeApi.setState(persisted);
  };
  root.addEventListener('vsc-collapsible-toggle', (e) => remember((e as CustomEvent<{ open: boolean }>).detail.open));
  root.addEventListener('keydown', (e) => {
    const target = e.composedPath()[0];
    if (e.key !== ' ' || !(target instanceof HTMLElement) || !target.classList.contains('collapsible-header')) return;
    e.preventDefault();
    const open = !root.hasAttribute('open');
    root.toggleAttribute('open', open);
    remember(open);
  });
  return { root, body };
}

const header = h('div', {});
const devices = section('devices', l10n.t('Devices'));
const rollouts = section('rollouts', l10n.t('Staged rollouts'));
/** Holds the rollouts section only while there are rollouts: an empty one is neither shown nor in the Tab order. */
const rolloutsSlot = h('div', {});
const sessions = section('sessions', l10n.t('Update sessions'));
const whyNot = section('whynot', l10n.t('Not offered — why'));
const log = section('log', l10n.t('Event log'));
const consoleBox = section('console', l10n.t('Device console'));
/** Device, session and connection changes for screen readers: polite, and at most one announcement per few seconds. */
const liveRegion = h('div', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true', 'data-live-region': '' });
const app = document.getElementById('app')!;
show(
  app,
  header,
  devices.root,
  rolloutsSlot,
  h('div', { class: 'columns' }, sessions.root, whyNot.root),
  h('div', { class: 'columns' }, log.root, consoleBox.root),
  liveRegion,
);

const messenger = new Messenger(vscodeApi, onNotification, { describe: () => describeView(state) });
const deviceTable = new DeviceTable(state, (c) => messenger.command(c));
show(devices.body, deviceTable.root);
const consoleView = new ConsoleView(state, { device: persisted.consoleDevice, hidePolls: persisted.hidePolls ?? false }, (choices) => {
  persisted.consoleDevice = choices.device;
  persisted.hidePolls = choices.hidePolls;
  vscodeApi.setState(persisted);
  render();
});
show(consoleBox.body, consoleView.root);
const eventLog = new EventLog(state);
show(log.body, eventLog.root);
const sessionCards = new SessionCards(state);
show(sessions.body, sessionCards.root);

let scheduled = false;
let drawnWhyNot = '';
/** Coalesces a burst of events into one redraw per frame. */
function render(): void {
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(() => {
    scheduled = false;
    redrawKeeping(app, draw);
  });
}

/** Draws every section from the state (keyed controls keep focus and scroll across it: see redrawKeeping). */
function draw(): void {
  showChanged(header, headerSection(state, (c) => messenger.command(c)));
  deviceTable.update();
  // In the heading itself rather than the element's description, which it draws at 60% opacity (too faint to read).
  devices.root.setAttribute('heading', state.devices.size ? l10n.t('Devices ({0})', state.devices.size) : l10n.t('Devices'));
  // Only a server with staged rollouts shows the section (most have none, and hawkBit's are not in this model).
  if (rolloutsSlot.contains(rollouts.root) !== state.rollouts.length > 0) show(rolloutsSlot, ...(state.rollouts.length ? [rollouts.root] : []));
  if (state.rollouts.length) {
    rollouts.root.setAttribute('heading', l10n.t('Staged rollouts ({0})', state.rollouts.length));
    showChanged(rollouts.body, rolloutGroupsSection(state.rollouts));
  }
  sessionCards.update();
  // Compared as data first: building its fifty records each frame to find them unchanged was a large part of a frame.
  const why = whyNotData(state);
  const whyKey = JSON.stringify(why);
  if (whyKey !== drawnWhyNot) {
    drawnWhyNot = whyKey;
    showChanged(whyNot.body, whyNotSection(why, (c) => messenger.command(c)));
  }
  eventLog.update();
  consoleView.update();
}

const announcements = new Announcements(4_000, 4);
let announceTimer: ReturnType<typeof setTimeout> | undefined;
function announce(subject: string, message: string): void {
  announcements.add(subject, message);
  if (announceTimer) return;
  const speak = () => {
    announceTimer = undefined;
    const text = announcements.take(Date.now());
    if (text) liveRegion.textContent = text;
    const due = announcements.dueAt();
    if (due !== undefined) announceTimer = setTimeout(speak, Math.max(0, due - Date.now()));
  };
  // A short wait even when due: the changes of one burst go out together.
  announceTimer = setTimeout(speak, Math.max(300, (announcements.dueAt() ?? 0) - Date.now()));
}

function applyEvent(event: ServerEvent): void {
  const d = event.data as Record<string, unknown>;
  const before = event.type === 'session.updated' ? state.sessions.get(String(d.id))?.state : undefined;
  const wasKnown = state.devices.has(String(d.id));
  state.applyEvent(event);
  announceEvent(event, before, wasKnown);
}

/** What of an event is worth saying: a session's new state, a device's first contact, a refusal. */
function announceEvent(e: ServerEvent, before: SessionState | undefined, wasKnown: boolean): void {
  const d = e.data as Record<string, unknown>;
  if (e.type === 'session.updated') {
    const s = state.sessions.get(String(d.id));
    if (s && s.state !== before) announce(`device ${s.deviceId}`, l10n.t('{0}: update {1}', s.deviceId, stateWord(s.state)));
  } else if (e.type === 'device.seen' && !wasKnown && state.devices.has(String(d.id))) {
    announce(`device ${String(d.id)}`, l10n.t('{0} contacted the server', String(d.id)));
  } else if (e.type === 'rollout.paused' || e.type === 'rollout.waiting' || e.type === 'rollout.finished' || e.type === 'rollout.cancelled') {
    const r = state.rollouts.find((x) => x.id === String(d.id));
    if (r) announce(`rollout ${r.id}`, l10n.t('Rollout {0}: {1}', r.name, rolloutStateWord(r.state)));
  } else if (e.type === 'device.not-offered') {
    announce(`device ${String(d.deviceId)}`, l10n.t('{0} not offered the update', String(d.deviceId)));
  }
}

function onNotification(n: HostNotification): void {
  switch (n.notification) {
    case 'snapshot':
      state.applySnapshot(n.snapshot);
      break;
    case 'event':
      applyEvent(n.event);
      break;
    case 'events':
      for (const event of n.events) applyEvent(event);
      break;
    case 'demo':
      state.setDemo(n.demo);
      break;
    case 'connection':
      if (state.connection?.state !== n.connection.state) announce('connection', l10n.t('Connection: {0}', connectionWord(n.connection.state)));
      state.connection = n.connection;
      break;
    case 'history':
      state.addHistory(n.events);
      break;
    case 'console':
      state.addConsole(n.lines);
      break;
  }
  render();
}

vscodeApi.setState(persisted);
render();
// "Last seen 12 s ago" must age while nothing happens (a device that went quiet): redraw the table.
setInterval(() => {
  if (state.devices.size > 0) deviceTable.refresh();
}, 5_000);
// After a reload the host may already be connected: ask for what it has rather than wait.
void messenger.request('snapshot', {}).then((snapshot) => {
  if (snapshot) {
    state.applySnapshot(snapshot);
    render();
  }
});
