import type { SessionState } from '../../src/core/protocol/management';
import { h } from '../dom';
import { stateWord } from '../stateWords';

const tones: Record<SessionState, string> = {
  offered: 'info',
  downloading: 'info',
  downloaded: 'info',
  installing: 'info',
  succeeded: 'good',
  failed: 'bad',
  cancelled: 'warn',
};

/** A session state as a pill: the word, an icon for its tone and the theme's text colour for it. */
export function stateBadge(state: SessionState, extra?: string): HTMLElement {
  return h('span', { class: `pill ${tones[state]}`, 'data-state': state }, extra ? `${stateWord(state)} ${extra}` : stateWord(state));
}
