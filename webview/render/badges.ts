import type { SessionState } from '../../src/core/protocol/management';
import { h } from '../dom';

const tones: Record<SessionState, string> = {
  offered: 'info',
  downloading: 'info',
  downloaded: 'info',
  installing: 'info',
  succeeded: 'good',
  failed: 'bad',
  cancelled: 'warn',
};

/** A session state as a coloured pill (colour from the theme's own status colours). */
export function stateBadge(state: SessionState, extra?: string): HTMLElement {
  return h('span', { class: `pill ${tones[state]}`, 'data-state': state }, extra ? `${state} ${extra}` : state);
}
