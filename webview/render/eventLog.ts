import * as l10n from '@vscode/l10n';
import { h, show } from '../dom';
import { clock } from '../format';
import type { LiveState, LogEntry } from '../liveState';

/**
 * The server's events as they arrived, newest first. The list stays in place and an entry, once
 * drawn, stays: an update streams several entries a second into a list of 200, and only the new
 * ones are drawn.
 */
export class EventLog {
  readonly root = h('div', {});
  private list: HTMLElement | undefined;
  private shownIds: number[] = [];

  constructor(private readonly state: LiveState) {}

  update(): void {
    const entries = this.state.log;
    if (entries.length === 0) {
      if (this.list || !this.root.firstChild) show(this.root, h('p', { class: 'muted' }, l10n.t('Waiting for server events…')));
      this.list = undefined;
      this.shownIds = [];
      return;
    }
    const list = (this.list ??= this.build());
    if (sameIds(this.shownIds, entries)) return;
    const ids = entries.map((e) => e.id);
    // The usual change: newer entries on top, the oldest past the limit gone at the bottom. Only
    // those are touched; moving the 200 entries already there costs a layout of the whole list.
    const fresh = ids.indexOf(this.shownIds[0] ?? -1);
    const kept = fresh < 0 ? 0 : Math.min(this.shownIds.length, ids.length - fresh);
    if (fresh >= 0 && sameIds(this.shownIds.slice(0, kept), entries.slice(fresh, fresh + kept))) {
      list.prepend(...entries.slice(0, fresh).map(entry));
      while (list.childElementCount > ids.length) list.lastElementChild!.remove();
    } else {
      // Older entries merged in (history after a reload): draw the list once.
      list.replaceChildren(...entries.map(entry));
    }
    this.shownIds = ids;
  }

  private build(): HTMLElement {
    // Focusable: it scrolls, and keyboard users must be able to scroll it too.
    const list = h('ol', { class: 'log', 'data-key': 'log', tabindex: 0, 'aria-label': l10n.t('Server events, newest first') });
    show(this.root, h('div', { class: 'log-box' }, list));
    this.shownIds = [];
    return list;
  }
}

function sameIds(ids: number[], entries: LogEntry[]): boolean {
  return ids.length === entries.length && entries.every((e, i) => e.id === ids[i]);
}

function entry(e: LogEntry): HTMLElement {
  return h('li', { class: `log-${e.tone}`, 'data-type': e.type }, h('time', {}, clock(e.at)), h('span', { class: 'type' }, e.type), h('span', { class: 'text' }, e.text));
}
