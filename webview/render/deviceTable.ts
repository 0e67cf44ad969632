import * as l10n from '@vscode/l10n';
import type { Device, UpdateSession } from '../../src/core/protocol/management';
import { h, KeyedChildren, show, showChanged } from '../dom';
import type { LiveState } from '../liveState';
import type { WebviewCommand } from '../protocol';
import { devicesSection, labels, row, tableHead } from './devices';

/** Up to this many devices every row is drawn; above it only the rows in sight (and a margin). */
export const drawAllUpTo = 200;
/** Rows drawn above and below the visible ones, so a scroll of a few rows shows no gap. */
const overscan = 8;

/**
 * The Devices section. A fleet of thousands is drawn as a window: the rows in sight between two
 * spacers as tall as the rows left out, redrawn as the reader scrolls or the visible devices
 * change. The table keeps its roles, with `aria-rowcount` / `aria-rowindex` telling screen readers
 * how many rows there are and where the drawn ones sit.
 */
export class DeviceTable {
  readonly root = h('div', {});
  /** The body of the small-fleet table (every row drawn), while it is shown. */
  private small: HTMLElement | undefined;
  private windowed: { scroller: HTMLElement; table: HTMLElement; body: HTMLElement; top: HTMLElement; bottom: HTMLElement } | undefined;
  /** Estimated from the rows drawn (cards in a narrow view are taller); starts at one line of a wide table. */
  private rowHeight = 40;
  private scrollTop = 0;
  private viewHeight = 0;
  private measuredAt = -Infinity;
  private drawnKey = '';
  /** The rows in the page, reused while they would draw the same. */
  private readonly rows = new KeyedChildren();
  /** What each drawn row was drawn from. */
  private rowInputs = new Map<string, RowInputs>();
  /** Counts the five-second refreshes: "last seen" words age, so every row is drawn again then. */
  private refreshes = 0;
  private scheduled = false;

  constructor(
    private readonly state: LiveState,
    private readonly send: (c: WebviewCommand) => void,
  ) {}

  /** Draws the rows in sight again even when nothing changed ("last seen 5 s ago" ages). */
  refresh(): void {
    this.drawnKey = '';
    this.refreshes++;
    this.update();
  }

  /** Draws what changed; cheap when nothing in sight did. */
  update(): void {
    const count = this.state.sortedIds.length;
    if (count <= drawAllUpTo) {
      this.windowed = undefined;
      this.drawnKey = '';
      if (count === 0) {
        this.small = undefined;
        this.rows.clear();
        // show(), not showChanged(), when a table is there: showChanged remembers only what it drew itself.
        if (this.root.querySelector('table')) show(this.root, devicesSection(this.state, this.send));
        else showChanged(this.root, devicesSection(this.state, this.send));
        return;
      }
      // Every row, in a table kept in place: a poll redraws that device's row only, so a keyboard
      // user's focus on another row's Deploy button stays where it is.
      if (!this.small?.isConnected) {
        this.rows.clear();
        const section = devicesSection(this.state, this.send);
        show(this.root, section);
        this.small = section.querySelector('tbody') ?? undefined;
      }
      const label = labels();
      if (this.small) this.rows.show(this.small, this.state.sortedIds.map((id) => [id, row(this.state, this.state.devices.get(id)!, label, this.send)]));
      return;
    }
    this.small = undefined;
    const w = (this.windowed ??= this.skeleton());
    const first = Math.max(0, Math.floor(this.scrollTop / this.rowHeight) - overscan);
    const visible = Math.ceil((this.viewHeight || 600) / this.rowHeight) + 2 * overscan;
    const last = Math.min(count, first + visible);
    const key = `${first}:${last}:${count}:${this.state.devicesRevision}:${this.state.connection?.state}`;
    if (key === this.drawnKey) return;
    this.drawnKey = key;
    const label = labels();
    const rows: [string, HTMLElement][] = [];
    // What a row is drawn from besides its device and newest session; any change draws every row again.
    const context = `${this.state.connection?.state}:${this.state.deploymentsRevision}:${this.refreshes}`;
    const inputs = new Map<string, RowInputs>();
    for (let i = first; i < last; i++) {
      const device = this.state.devices.get(this.state.sortedIds[i]!);
      if (!device) continue;
      const now: RowInputs = { device, session: this.state.latestSession(device.id), snapshot: this.state.snapshot, context, index: i, tr: undefined };
      const before = this.rowInputs.get(device.id);
      // Unchanged inputs: the row in the page stands, and building it again only to compare is most of a frame.
      const tr = before?.tr && sameInputs(before, now) ? before.tr : row(this.state, device, label, this.send);
      if (tr !== before?.tr) tr.setAttribute('aria-rowindex', String(i + 2));
      now.tr = tr;
      inputs.set(device.id, now);
      rows.push([device.id, tr]);
    }
    this.rowInputs = inputs;
    w.table.setAttribute('aria-rowcount', String(count + 1));
    w.scroller.setAttribute('aria-label', l10n.t('Devices, {0} in all', count));
    // Heights through the CSSOM: the page's CSP allows no style attributes.
    w.top.style.height = `${first * this.rowHeight}px`;
    w.bottom.style.height = `${(count - last) * this.rowHeight}px`;
    this.rows.show(w.body, rows, [w.top], [w.bottom]);
    this.measure([...w.body.children].slice(1, -1) as HTMLElement[]);
  }

  /** The scroll box, the table and its spacers, made once and kept while the fleet is large. */
  private skeleton(): NonNullable<DeviceTable['windowed']> {
    const spacer = () => h('tr', { class: 'spacer', 'aria-hidden': 'true' });
    const top = spacer();
    const bottom = spacer();
    const body = h('tbody', { role: 'rowgroup' });
    const table = h('table', { class: 'grid devices', role: 'table', 'aria-label': l10n.t('Devices') }, tableHead(labels()), body);
    // Focusable: it scrolls, and keyboard users must be able to scroll it too.
    const scroller = h('div', { class: 'table-scroll windowed', 'data-key': 'devices-scroll', tabindex: 0, role: 'region', 'aria-label': l10n.t('Devices, {0} in all', this.state.sortedIds.length) }, table);
    // Where the box is scrolled and how tall it is, noted as they change: reading them in update(),
    // after other sections changed the page, would make the page lay out an extra time each frame.
    scroller.addEventListener(
      'scroll',
      () => {
        this.scrollTop = scroller.scrollTop;
        this.schedule();
      },
      { passive: true },
    );
    new ResizeObserver(([entry]) => {
      const height = entry?.contentRect.height ?? 0;
      if (height === this.viewHeight) return;
      this.viewHeight = height;
      this.schedule();
    }).observe(scroller);
    show(this.root, scroller);
    this.rows.clear();
    return { scroller, table, body, top, bottom };
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      this.update();
    });
  }

  /**
   * Takes the drawn rows' mean height for the spacers; a big change redraws once with it. Read in
   * a frame of its own, at most once a second: reading sizes right after a redraw forces the page
   * to lay out twice.
   */
  private measure(rows: HTMLElement[]): void {
    const now = performance.now();
    if (!rows.length || now - this.measuredAt < 1000) return;
    this.measuredAt = now;
    requestAnimationFrame(() => this.measureNow(rows));
  }

  private measureNow(rows: HTMLElement[]): void {
    if (!this.root.isConnected || !rows[0]?.isConnected) return;
    const heights = rows.map((r) => r.getBoundingClientRect().height).filter((x) => x > 0);
    if (!heights.length) return;
    const mean = heights.reduce((a, b) => a + b, 0) / heights.length;
    if (Math.abs(mean - this.rowHeight) > 2) {
      this.rowHeight = mean;
      this.drawnKey = '';
      this.schedule();
    }
  }
}

interface RowInputs {
  device: Device;
  session: UpdateSession | undefined;
  snapshot: LiveState['snapshot'];
  context: string;
  index: number;
  tr: HTMLElement | undefined;
}

function sameInputs(a: RowInputs, b: RowInputs): boolean {
  return a.device === b.device && a.session === b.session && a.snapshot === b.snapshot && a.context === b.context && a.index === b.index;
}
