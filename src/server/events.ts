import type { ServerEvent, ServerEventType } from '../core/protocol/management';

export type EventListener = (event: ServerEvent) => void;

/** Fans server events out to live subscribers (SSE) and keeps the recent ones for reconnects. */
export class EventBus {
  private readonly recent: ServerEvent[] = [];
  private readonly listeners = new Set<EventListener>();
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
  ) {
    this.recent.push(...history.slice(-keep));
    this.lastId = Math.max(now * 1000, history.reduce((max, e) => Math.max(max, e.id), 0));
  }

  /**
   * `persist: false` for high-rate progress ticks: live subscribers want them, the history does
   * not (2,000 devices would push every meaningful event out of it within a second). What the
   * history keeps is a copy, so a replay shows the state at the time of the event.
   */
  emit(type: ServerEventType, data: unknown, persist = true): ServerEvent {
    const event: ServerEvent = { id: ++this.lastId, at: new Date().toISOString(), type, data };
    if (persist) {
      const kept: ServerEvent = { ...event, data: structuredClone(data) };
      this.recent.push(kept);
      if (this.recent.length > this.keep) this.recent.shift();
      this.sink?.(kept);
    }
    for (const listener of this.listeners) listener(event);
    return event;
  }

  /** Events after `lastId` (for SSE `Last-Event-ID`; `ota watch` sends a huge one for "none"). */
  since(lastId: number): ServerEvent[] {
    return this.recent.filter((e) => e.id > lastId);
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
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
