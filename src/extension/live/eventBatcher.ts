import type { ServerEvent, UpdateSession } from '../../core/protocol/management';

/** How often a batch goes to the view: a few times a second is live to the eye and cheap to draw. */
export const defaultBatchMs = 100;

/**
 * Gathers the server's events into one message per `batchMs` for the live view. Within a batch,
 * a newer progress tick of a session replaces the older one while its state is the same, and a
 * device's repeated poll (`device.seen` after its first contact) replaces its earlier one: the
 * view would draw only the newest anyway, and a stream of 1,000 events a second shrinks to what
 * changed. Events that change a state, and first contacts, are always passed on in order.
 *
 * No `vscode` import: the benchmark drives it as the host does.
 */
export class EventBatcher {
  private batch: ServerEvent[] = [];
  /** Index in `batch` of the last replaceable event per key. */
  private readonly replaceable = new Map<string, number>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly flush: (events: ServerEvent[]) => void,
    private readonly batchMs = defaultBatchMs,
  ) {}

  add(event: ServerEvent): void {
    const key = replaceKey(event);
    const at = key === undefined ? undefined : this.replaceable.get(key);
    if (key !== undefined && at !== undefined && sameState(this.batch[at]!, event)) {
      this.batch[at] = event;
    } else {
      if (key !== undefined) this.replaceable.set(key, this.batch.length);
      this.batch.push(event);
    }
    this.timer ??= setTimeout(() => this.send(), this.batchMs);
  }

  /** Sends what is waiting now (before a snapshot, so the view applies events in order). */
  send(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.batch.length) return;
    const events = this.batch;
    this.batch = [];
    this.replaceable.clear();
    this.flush(events);
  }

  /** Drops what is waiting (the view connects elsewhere). */
  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.batch = [];
    this.replaceable.clear();
  }
}

function replaceKey(event: ServerEvent): string | undefined {
  const data = event.data as { id?: string; firstSeen?: string; lastSeen?: string };
  if (event.type === 'session.updated') return `s:${data.id}`;
  if (event.type === 'device.seen' && data.firstSeen !== data.lastSeen) return `d:${data.id}`;
  return undefined;
}

/** A progress tick may replace an older one only while the session's state is unchanged. */
function sameState(older: ServerEvent, newer: ServerEvent): boolean {
  if (newer.type !== 'session.updated') return older.type === newer.type;
  return (older.data as UpdateSession).state === (newer.data as UpdateSession).state && (older.data as UpdateSession).cancelPending === (newer.data as UpdateSession).cancelPending;
}
