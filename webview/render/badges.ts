import * as l10n from '@vscode/l10n';
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

/** A session state in words, as the view shows and announces it. */
export function stateWord(state: SessionState): string {
  switch (state) {
    case 'offered':
      return l10n.t('offered');
    case 'downloading':
      return l10n.t('downloading');
    case 'downloaded':
      return l10n.t('downloaded');
    case 'installing':
      return l10n.t('installing');
    case 'succeeded':
      return l10n.t('succeeded');
    case 'failed':
      return l10n.t('failed');
    case 'cancelled':
      return l10n.t('cancelled');
  }
}

/** A session state as a pill: the word, an icon for its tone and the theme's text colour for it. */
export function stateBadge(state: SessionState, extra?: string): HTMLElement {
  return h('span', { class: `pill ${tones[state]}`, 'data-state': state }, extra ? `${stateWord(state)} ${extra}` : stateWord(state));
}
