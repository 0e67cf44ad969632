import { h } from '../dom';
import { clock } from '../format';
import type { LiveState } from '../liveState';

/** The server's events as they arrived, newest first. */
export function eventLogSection(state: LiveState): HTMLElement {
  if (state.log.length === 0) return h('p', { class: 'muted' }, 'Waiting for server events…');
  return h(
    'ol',
    { class: 'log' },
    ...state.log.map((e) => h('li', { class: `log-${e.tone}`, 'data-type': e.type }, h('time', {}, clock(e.at)), h('span', { class: 'type' }, e.type), h('span', { class: 'text' }, e.text))),
  );
}
