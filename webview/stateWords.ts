import * as l10n from '@vscode/l10n';
import type { SessionState } from '../src/core/protocol/management';
import type { ConnectionState } from './protocol';

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

/** The connection state in words ("● live": the dot is decoration, the word carries it). */
export function connectionWord(state: ConnectionState['state']): string {
  switch (state) {
    case 'connecting':
      return l10n.t('connecting');
    case 'live':
      return l10n.t('live');
    case 'reconnecting':
      return l10n.t('reconnecting');
    case 'error':
      return l10n.t('error');
    case 'stopped':
      return l10n.t('stopped');
  }
}
