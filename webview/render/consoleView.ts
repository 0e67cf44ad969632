import * as l10n from '@vscode/l10n';
import { h } from '../dom';
import { clock } from '../format';
import type { LiveState } from '../liveState';

/** Lines shown for the chosen device (the newest). */
const shownLines = 80;

/** A device console (serial port or simulated UART) with what the log parser read from each line. */
export function consoleSection(state: LiveState, selected: string | undefined, onSelect: (device: string) => void): HTMLElement {
  const devices = [...new Set(state.console.map((l) => l.device))].sort();
  if (devices.length === 0) return h('p', { class: 'muted' }, l10n.t('No device console. Name a serial port for a device in .vscode/ota.json ("serial": { "path": … }), or run the demo.'));
  const device = selected && devices.includes(selected) ? selected : devices[0]!;
  const select = h('select', { class: 'console-device', 'data-key': 'console-device', 'aria-label': l10n.t('Device console'), onChange: (e) => onSelect((e.target as HTMLSelectElement).value) }, ...devices.map((d) => h('option', { value: d, selected: d === device }, d)));
  const lines = state.console.filter((l) => l.device === device).slice(-shownLines);
  return h(
    'div',
    { class: 'console' },
    h('div', { class: 'console-bar' }, select, h('span', { class: 'muted' }, l10n.t('{0} recent lines', lines.length))),
    // Focusable: it scrolls, and keyboard users must be able to scroll it too.
    h(
      'pre',
      { class: 'console-lines', 'data-key': 'console-lines', tabindex: 0, role: 'log', 'aria-label': l10n.t('Console of {0}', device) },
      ...lines.map((l) => h('div', { class: `line level-${l.level ?? 'none'}` }, h('time', {}, clock(l.time)), ` ${l.text}`, l.meaning ? h('span', { class: 'meaning' }, l.meaning) : undefined)),
    ),
  );
}
