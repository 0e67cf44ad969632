import * as l10n from '@vscode/l10n';
import { h } from '../dom';
import { clock } from '../format';
import type { LiveState } from '../liveState';

/** The server's events as they arrived, newest first. */
export function eventLogSection(state: LiveState): HTMLElement {
  if (state.log.length === 0) return h('p', { class: 'muted' }, l10n.t('Waiting for server events…'));
  return h(
    'div',
    { class: 'log-box' },
    // Focusable: it scrolls, and keyboard users must be able to scroll it too.
    h(
      'ol',
      { class: 'log', 'data-key': 'log', tabindex: 0, 'aria-label': l10n.t('Server events, newest first') },
      ...state.log.map((e) => h('li', { class: `log-${e.tone}`, 'data-type': e.type }, h('time', {}, clock(e.at)), h('span', { class: 'type' }, e.type), h('span', { class: 'text' }, e.text))),
    ),
  );
}
