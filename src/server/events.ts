import type { ServerEvent, ServerEventType } from '../core/protocol/management';

export type EventListener = (event: ServerEvent) => void;

/** Fans server events out to live subscribers (SSE) and keeps the recent ones for reconnects. */
export class EventBus {
  private readonly recent: ServerEvent[] = [];
  /** Characters of `data` JSON per kept event, in the order of `recent`. */
  private readonly recentChars: number[] = [];
  private keptChars = 0;
  private readonly listeners = new Set<EventListener>();
  /** Parts of the server itself that follow events (rollouts); not counted as subscribers. */
  private readonly observers = new Set<EventListener>();
  private readonly closers = new Set<() => void>();
  private lastId = 0;

  /**
   * `history` continues a previous run; `sink` stores each event.
   *
   * Ids must grow across restarts, or a client reconnecting with the `Last-Event-ID` of the run
   * before would skip the new run's first events. The history alone cannot promise that: it is
   * written lazily (a crash loses its tail), progress ticks are never in it, and a wiped data
   * directory has none. So a run starts counting at its start time in microseconds
   * (`Date.now() * 1000`, about 1.8e15 in 2026, inside Number's exact integers for two more
   * centuries), or past the history if that is higher: the previous run would have had to emit
   * more than 1,000 events a millisecond for its ids to reach this run's first one.
   */
  constructor(
    history: readonly ServerEvent[] = [],
    private readonly sink?: (event: ServerEvent) => void,
    private readonly keep = 1000,
    now = Date.now(),
    private readonly keepChars = maxBacklogChars,
  ) {
    for (const e of history.slice(-keep)) this.remember(e, JSON.stringify(e.data)?.length ?? 0);
    this.lastId = Math.max(now * 1000, history.reduce((max, e) => Math.max(max, e.id), 0));
  }

  /**
   * `persist: false` for high-rate progress ticks: live subscribers want them, the history does
   * not (2,000 devices would push every meaningful event out of it within a second). What the
   * history keeps is a copy, so a replay shows the state at the time of the event; that copy,
   * with long strings and lists cut when the event is big, is also what subscribers get.
   */
  emit(type: ServerEventType, data: unknown, persist = true): ServerEvent {
    let event: ServerEvent = { id: ++this.lastId, at: new Date().toISOString(), type, data };
    if (persist) {
      let json = JSON.stringify(data) ?? 'null';
      if (json.length > maxEventChars) json = JSON.stringify(cutLarge(data, 0));
      event = { ...event, data: JSON.parse(json) as unknown };
      this.remember(event, json.length);
      this.sink?.(event);
    }
    for (const observer of this.observers) observer(event);
    for (const listener of this.listeners) listener(event);
    return event;
  }

  /** Keeps `event` in the history, bounded in count and in characters (a backlog every new subscriber is sent). */
  private remember(event: ServerEvent, chars: number): void {
    this.recent.push(event);
    this.recentChars.push(chars);
    this.keptChars += chars;
    while (this.recent.length > 1 && (this.recent.length > this.keep || this.keptChars > this.keepChars)) {
      this.recent.shift();
      this.keptChars -= this.recentChars.shift()!;
    }
  }

  /** Events after `lastId` (for SSE `Last-Event-ID`; `ota watch` sends a huge one for "none"). */
  since(lastId: number): ServerEvent[] {
    return this.recent.filter((e) => e.id > lastId);
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** For the server's own parts: called before the subscribers, and not in `size`. */
  observe(observer: EventListener): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  /** `onClose` runs when the server shuts down (live streams end cleanly instead of being cut). */
  subscribeClose(onClose: () => void): () => void {
    this.closers.add(onClose);
    return () => this.closers.delete(onClose);
  }

  close(): void {
    for (const c of [...this.closers]) c();
    this.closers.clear();
  }

  get size(): number {
    return this.listeners.size;
  }
}

/** The event history holds at most this many characters of event data (about 4 MB). */
export const maxBacklogChars = 4 * 1024 * 1024;
/** An event whose data is longer than this as JSON has its long strings and lists cut. */
export const maxEventChars = 16 * 1024;
const maxStringChars = 256;
const maxItems = 50;

/**
 * A copy of `value` with strings past `maxStringChars` and lists or objects past `maxItems`
 * cut, marked with an ellipsis; nesting past 8 levels is dropped. Events carry devices and
 * sessions whose strings come from devices: the live view and `ota watch` only need a glimpse.
 */
export function cutLarge(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return value.length > maxStringChars ? `${value.slice(0, maxStringChars)}… (${value.length} characters)` : value;
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= 8) return '…';
  if (Array.isArray(value)) {
    const items = value.slice(0, maxItems).map((v) => cutLarge(v, depth + 1));
    if (value.length > maxItems) items.push(`… ${value.length - maxItems} more`);
    return items;
  }
  const entries = Object.entries(value);
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries.slice(0, maxItems)) out[k.length > maxStringChars ? `${k.slice(0, maxStringChars)}…` : k] = cutLarge(v, depth + 1);
  if (entries.length > maxItems) out['…'] = `${entries.length - maxItems} more`;
  return out;
}
