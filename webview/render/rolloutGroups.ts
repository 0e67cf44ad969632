import * as l10n from '@vscode/l10n';
import type { RolloutGroupStatus, RolloutSummary } from '../../src/core/protocol/management';
import { h } from '../dom';

/**
 * Staged rollouts of our server: each group with its state and a bar of its devices by outcome.
 * The data is the status snapshot's `rollouts` with the `rollout.*` events applied on top
 * (LiveState, through `withRolloutEvent`).
 */

/** The pills' tones (an icon and the theme's colour for each, as the session states have; the word says it too). */
const groupTone: Record<RolloutGroupStatus['state'], string> = { scheduled: 'info', running: 'info', succeeded: 'good', error: 'bad' };
const rolloutTone: Record<RolloutSummary['state'], string> = { ready: 'info', running: 'info', waiting: 'warn', paused: 'warn', finished: 'good', cancelled: 'warn' };

function groupRow(rollout: string, g: RolloutGroupStatus): HTMLElement {
  const c = g.counts;
  const done = c.total === 0 ? 100 : Math.round((c.succeeded * 100) / c.total);
  const words = l10n.t('{0} of {1} succeeded, {2} failed, {3} running, {4} pending', c.succeeded, c.total, c.failed, c.running, c.pending);
  return h(
    'div',
    { class: `rollout-group ${g.state}`, 'data-group': String(g.index), 'data-state': g.state },
    h('div', { class: 'session-head' }, h('strong', {}, g.name), h('span', { class: `pill ${groupTone[g.state]}`, 'data-state': g.state }, groupStateWord(g.state))),
    h('vscode-progress-bar', { value: done, max: 100, 'aria-label': l10n.t('{0}, {1}: {2}', rollout, g.name, words) }),
    h('div', { class: c.failed > 0 ? 'session-meta warn-text' : 'session-meta' }, words),
  );
}

function groupStateWord(state: RolloutGroupStatus['state']): string {
  switch (state) {
    case 'scheduled':
      return l10n.t('scheduled');
    case 'running':
      return l10n.t('running');
    case 'succeeded':
      return l10n.t('succeeded');
    case 'error':
      return l10n.t('over the error threshold');
  }
}

export function rolloutStateWord(state: RolloutSummary['state']): string {
  switch (state) {
    case 'ready':
      return l10n.t('ready to start');
    case 'running':
      return l10n.t('running');
    case 'waiting':
      return l10n.t('waiting for approval');
    case 'paused':
      return l10n.t('paused');
    case 'finished':
      return l10n.t('finished');
    case 'cancelled':
      return l10n.t('cancelled');
  }
}

/** Rollouts, newest first, each with its groups' progress and state, and why it paused or waits. */
export function rolloutGroupsSection(rollouts: readonly RolloutSummary[]): HTMLElement {
  if (rollouts.length === 0) return h('p', { class: 'muted' }, l10n.t('No staged rollout on this server.'));
  const sorted = [...rollouts].sort((a, b) => Number(b.id) - Number(a.id));
  return h(
    'div',
    { class: 'rollouts' },
    ...sorted.map((r) =>
      h(
        'div',
        { class: `rollout ${r.state}`, 'data-rollout': r.id, 'data-state': r.state },
        h('div', { class: 'session-head' }, h('strong', {}, r.name), h('span', { class: 'muted' }, ` ${l10n.t('success at {0}%, pause over {1}% failed', r.successThreshold, r.errorThreshold)}`), h('span', { class: `pill ${rolloutTone[r.state]}`, 'data-state': r.state }, rolloutStateWord(r.state))),
        r.reason && (r.state === 'paused' || r.state === 'waiting') ? h('div', { class: r.state === 'paused' ? 'failure' : 'warn-text' }, r.reason) : undefined,
        ...r.groups.map((g) => groupRow(r.name, g)),
      ),
    ),
  );
}
