import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import { describeView } from './describe';
import { h, show } from './dom';
import { LiveState } from './liveState';
import { Messenger } from './messenger';
import type { HostNotification, PersistedViewState } from './protocol';
import { consoleSection } from './render/consoleView';
import { devicesSection } from './render/devices';
import { eventLogSection } from './render/eventLog';
import { headerSection } from './render/header';
import { sessionsSection } from './render/sessions';
import { whyNotSection } from './render/whyNot';
import { vscodeApi } from './vscodeApi';

const state = new LiveState();
const persisted: PersistedViewState = vscodeApi.getState() ?? { collapsed: [] };

/** A section whose open/closed state survives re-rendering and reloads. */
function section(name: string, heading: string): { root: HTMLElement; body: HTMLElement } {
  const body = h('div', { class: 'section-body' });
  const root = h('vscode-collapsible', { heading, open: !persisted.collapsed.includes(name), 'data-section': name }, body);
  root.addEventListener('vsc-collapsible-toggle', (e) => {
    const open = (e as CustomEvent<{ open: boolean }>).detail.open;
    persisted.collapsed = open ? persisted.collapsed.filter((c) => c !== name) : [...new Set([...persisted.collapsed, name])];
    vscodeApi.setState(persisted);
  });
  return { root, body };
}

const header = h('div', {});
const devices = section('devices', 'Devices');
const sessions = section('sessions', 'Update sessions');
const whyNot = section('whynot', 'Not offered — why');
const log = section('log', 'Event log');
const consoleBox = section('console', 'Device console');
const app = document.getElementById('app')!;
show(
  app,
  header,
  devices.root,
  h('div', { class: 'columns' }, sessions.root, whyNot.root),
  h('div', { class: 'columns' }, log.root, consoleBox.root),
);

const messenger = new Messenger(vscodeApi, onNotification, { describe: () => describeView(state) });

let scheduled = false;
/** Coalesces a burst of events into one redraw per frame. */
function render(): void {
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(() => {
    scheduled = false;
    show(header, headerSection(state, (c) => messenger.command(c)));
    show(devices.body, devicesSection(state));
    devices.root.setAttribute('description', String(state.devices.size));
    show(sessions.body, sessionsSection(state));
    show(whyNot.body, whyNotSection(state, (c) => messenger.command(c)));
    show(log.body, eventLogSection(state));
    show(
      consoleBox.body,
      consoleSection(state, persisted.consoleDevice, (device) => {
        persisted.consoleDevice = device;
        vscodeApi.setState(persisted);
        render();
      }),
    );
  });
}

function onNotification(n: HostNotification): void {
  switch (n.notification) {
    case 'snapshot':
      state.applySnapshot(n.snapshot);
      break;
    case 'event':
      state.applyEvent(n.event);
      break;
    case 'connection':
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
  if (state.devices.size > 0) show(devices.body, devicesSection(state));
}, 5_000);
// After a reload the host may already be connected: ask for what it has rather than wait.
void messenger.request('snapshot', {}).then((snapshot) => {
  if (snapshot) {
    state.applySnapshot(snapshot);
    render();
  }
});
