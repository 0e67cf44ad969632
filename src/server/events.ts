import type { ServerEvent, ServerEventType } from '../core/protocol/management';

export type EventListener = (event: ServerEvent) => void;

/** Fans server events out to live subscribers (SSE) and keeps the recent ones for reconnects. */
export class EventBus {
  private readonly recent: ServerEvent[] = [];
  private readonly listeners = new Set<EventListener>();
  private readonly closers = new Set<() => void>();
  private lastId = 0;

  constructor(private readonly keep = 1000) {}

  emit(type: ServerEventType, data: unknown): ServerEvent {
    const event: ServerEvent = { id: ++this.lastId, at: new Date().toISOString(), type, data };
    this.recent.push(event);
    if (this.recent.length > this.keep) this.recent.shift();
    for (const listener of this.listeners) listener(event);
    return event;
  }

  /** Events after `lastId` (for SSE `Last-Event-ID`). */
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
