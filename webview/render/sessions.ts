import * as l10n from '@vscode/l10n';
import type { UpdateSession } from '../../src/core/protocol/management';
import { h, KeyedChildren, show } from '../dom';
import { bitsPerSecond, bytes, clock } from '../format';
import type { LiveState } from '../liveState';
import { stateWord } from '../stateWords';
import { stateBadge } from './badges';
import { sessionChart } from './chart';

/** Sessions shown at most: the newest; a long-running server has many finished ones. */
const shown = 24;

function card(state: LiveState, s: UpdateSession): HTMLElement {
  const percent = Math.round(s.progress * 100);
  const served = l10n.t('{0} of {1} served', bytes(s.bytesServed), bytes(s.size));
  const speed = s.throughputBps ? ` · ${bitsPerSecond(s.throughputBps)}${s.slow ? ` ${l10n.t('(below the minimum bandwidth)')}` : ''}` : '';
  const feedback = s.details.at(-1);
  const deployment = state.deployments.get(s.deploymentId);
  const earlier = deployment?.state === 'cancelled' ? ` · ${l10n.t('deployment {0}, since cancelled', deployment.id)}` : '';
  return h(
    'div',
    { class: `session ${s.state}`, 'data-session': s.id, 'data-device': s.deviceId, 'data-state': s.state },
    h('div', { class: 'session-head' }, h('strong', {}, s.deviceId), h('span', { class: 'muted' }, ` → ${state.releaseLabel(s.releaseId)}${earlier}`), stateBadge(s.state), h('span', { class: 'muted right' }, clock(s.endedAt ?? s.lastActivity))),
    // The bar's text alternative: device, state and percentage (the line below says the same in bytes).
    h('vscode-progress-bar', { value: percent, max: 100, 'aria-label': l10n.t('{0}: {1}, {2}%', s.deviceId, stateWord(s.state), percent) }),
    h('div', { class: 'session-meta' }, `${percent}% · ${served}${speed}`),
    sessionChart(state.samples.of(s.id), l10n.t('{0}: progress and throughput over time', s.deviceId)),
    feedback ? h('div', { class: 'session-feedback' }, l10n.t('device: {0}', feedback)) : undefined,
    s.failureReason ? h('div', { class: 'failure' }, l10n.t('Failed: {0}', s.failureReason)) : undefined,
    s.version && s.version.verdict !== 'label' ? h('div', { class: 'warn-text' }, s.version.summary) : undefined,
    s.cancelPending ? h('div', { class: 'warn-text' }, l10n.t('cancelled on the server; waiting for the device to acknowledge')) : undefined,
  );
}

/**
 * Update sessions, newest first, with the server's progress (bytes served, then device feedback).
 * The cards stay in the page while they show the same: only those whose session moved are drawn.
 */
export class SessionCards {
  readonly root = h('div', {});
  private readonly list = h('div', { class: 'sessions' });
  private readonly cards = new KeyedChildren();

  constructor(private readonly state: LiveState) {}

  update(): void {
    const sessions = newest(this.state.sessions.values(), shown);
    if (sessions.length === 0) {
      this.cards.clear();
      if (!this.root.querySelector('.no-sessions')) show(this.root, h('p', { class: 'muted no-sessions' }, l10n.t('No update session yet. One starts when a deployment is offered to a device.')));
      return;
    }
    if (this.list.parentNode !== this.root) show(this.root, this.list);
    this.cards.show(this.list, sessions.map((s) => [s.id, card(this.state, s)]));
  }
}

/** The `n` newest sessions by id, in one pass: a server with 20,000 sessions is not sorted every frame. */
function newest(all: Iterable<UpdateSession>, n: number): UpdateSession[] {
  const top: UpdateSession[] = [];
  for (const s of all) {
    if (top.length === n && Number(s.id) <= Number(top[n - 1]!.id)) continue;
    let i = top.length;
    while (i > 0 && Number(top[i - 1]!.id) < Number(s.id)) i--;
    top.splice(i, 0, s);
    if (top.length > n) top.pop();
  }
  return top;
}
