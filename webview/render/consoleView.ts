import * as l10n from '@vscode/l10n';
import { isPollChatter } from '../consoleBuffer';
import { h, show } from '../dom';
import { clock } from '../format';
import type { LiveState } from '../liveState';
import type { ConsoleLine } from '../protocol';

/** How close to the bottom (px) still counts as "at the newest line": the reader has not scrolled up. */
const bottomSlack = 24;

export interface ConsoleChoices {
  device: string | undefined;
  hidePolls: boolean;
}

/**
 * A device console (serial port or simulated UART) with what the log parser read from each line.
 * It follows new lines while the reader is at the bottom; once they scroll up it stays where they
 * are and offers "Jump to latest". New lines are appended, not redrawn: a console of 2,000 lines
 * costs the lines that arrived, not the whole box.
 */
export class ConsoleView {
  readonly root = h('div', {});
  private box: { bar: HTMLElement; select: HTMLSelectElement; lines: HTMLElement; count: HTMLElement; jump: HTMLElement; polls: HTMLInputElement } | undefined;
  /** What the box shows: which device, the filter, and the last line drawn. */
  private shown: { device: string; hidePolls: boolean; devicesKey: string; last: ConsoleLine | undefined; drawn: number } | undefined;
  private following = true;
  /** Where the view last scrolled the box to (the bottom, while following). */
  private placedAt = 0;

  constructor(
    private readonly state: LiveState,
    private choices: ConsoleChoices,
    /** The reader chose another device or filter (the caller keeps it, and redraws). */
    private readonly onChange: (choices: ConsoleChoices) => void,
  ) {}

  private choose(choices: ConsoleChoices): void {
    this.choices = choices;
    this.onChange(choices);
  }

  update(): void {
    const devices = this.state.console.devices();
    if (devices.length === 0) {
      this.box = undefined;
      this.shown = undefined;
      show(this.root, h('p', { class: 'muted' }, l10n.t('No device console. Name a serial port for a device in .vscode/ota.json ("serial": { "path": … }), or run the demo.')));
      return;
    }
    const device = this.choices.device && devices.includes(this.choices.device) ? this.choices.device : devices[0]!;
    const box = (this.box ??= this.build());
    const all = this.state.console.linesOf(device);
    const wanted = this.choices.hidePolls ? all.filter((l) => !isPollChatter(l)) : all;
    const shown = this.shown;
    const devicesKey = devices.join('\n');
    // Nothing new for the shown console (most redraws are for other sections): touch nothing, and
    // above all do not scroll, which makes the page lay out.
    if (shown && shown.devicesKey === devicesKey && shown.device === device && shown.hidePolls === this.choices.hidePolls && shown.last === wanted.at(-1) && shown.drawn === wanted.length) return;
    if (!shown || shown.devicesKey !== devicesKey) this.fillSelect(devices, device);
    if (!shown || shown.device !== device || shown.hidePolls !== this.choices.hidePolls) {
      box.lines.replaceChildren(...wanted.map(lineElement));
      this.following = true;
    } else {
      // Only what came after the last line drawn; the oldest drop off the top past the limit.
      const from = shown.last ? wanted.lastIndexOf(shown.last) + 1 : 0;
      if (from === 0 && shown.last) box.lines.replaceChildren(...wanted.map(lineElement));
      else box.lines.append(...wanted.slice(from).map(lineElement));
      let excess = box.lines.childElementCount - wanted.length;
      while (excess-- > 0) box.lines.firstElementChild?.remove();
      // Older lines merged in (history after a reload): draw the whole box once.
      if (box.lines.childElementCount !== wanted.length) box.lines.replaceChildren(...wanted.map(lineElement));
    }
    box.lines.setAttribute('aria-label', l10n.t('Console of {0}', device));
    box.count.textContent = l10n.t('{0} lines', wanted.length);
    this.shown = { device, hidePolls: this.choices.hidePolls, devicesKey, last: wanted.at(-1), drawn: wanted.length };
    if (this.following) this.toBottom(box.lines);
    this.showJump();
  }

  private toBottom(lines: HTMLElement): void {
    lines.scrollTop = lines.scrollHeight;
    this.placedAt = lines.scrollTop;
  }

  private build(): NonNullable<ConsoleView['box']> {
    const select = h('select', {
      class: 'console-device',
      'data-key': 'console-device',
      'aria-label': l10n.t('Device console'),
      onChange: (e) => this.choose({ ...this.choices, device: (e.target as HTMLSelectElement).value }),
    });
    const polls = h('input', { type: 'checkbox', class: 'hide-polls', 'data-key': 'hide-polls', checked: this.choices.hidePolls, onChange: (e) => this.choose({ ...this.choices, hidePolls: (e.target as HTMLInputElement).checked }) });
    const count = h('span', { class: 'muted' });
    // Focusable: it scrolls, and keyboard users must be able to scroll it too.
    const lines = h('pre', { class: 'console-lines', 'data-key': 'console-lines', tabindex: 0, role: 'log' });
    const jump = h('vscode-button', { secondary: true, class: 'jump-latest', 'data-key': 'jump-latest', hidden: true, onClick: () => this.jumpToLatest() }, l10n.t('Jump to latest'));
    lines.addEventListener(
      'scroll',
      () => {
        // Up from where the view last put it is the reader's doing; lines laid out late (they are
        // sized lazily) only grow the box below, which must not stop the following.
        const atBottom = lines.scrollHeight - lines.scrollTop - lines.clientHeight <= bottomSlack;
        if (atBottom) this.following = true;
        else if (lines.scrollTop < this.placedAt - bottomSlack) this.following = false;
        this.showJump();
      },
      { passive: true },
    );
    const bar = h('div', { class: 'console-bar' }, select, h('label', { class: 'toggle' }, polls, ` ${l10n.t('Hide polls')}`), count, jump);
    show(this.root, h('div', { class: 'console' }, bar, lines));
    return { bar, select, lines, count, jump, polls };
  }

  private fillSelect(devices: string[], device: string): void {
    this.box!.select.replaceChildren(...devices.map((d) => h('option', { value: d, selected: d === device }, d)));
    this.box!.select.value = device;
  }

  private showJump(): void {
    this.box?.jump.toggleAttribute('hidden', this.following);
  }

  private jumpToLatest(): void {
    const lines = this.box?.lines;
    if (!lines) return;
    this.following = true;
    this.toBottom(lines);
    this.showJump();
    lines.focus();
  }
}

function lineElement(l: ConsoleLine): HTMLElement {
  return h('div', { class: `line level-${l.level ?? 'none'}${isPollChatter(l) ? ' poll' : ''}` }, h('time', {}, clock(l.time)), ` ${l.text}`, l.meaning ? h('span', { class: 'meaning' }, l.meaning) : undefined);
}
