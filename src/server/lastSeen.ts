import type { Device } from '../core/protocol/management';
import type { ServerContext } from './context';

/**
 * A device's last contact. Devices poll every few seconds and download in thousands of Range
 * requests, so neither the journal nor the event stream can take a write per request: the time
 * is kept in memory at once, journaled in one batched record every `writeEveryMs` (lazily, no
 * fsync: after a crash it may lag by that much), and announced as a `device.seen` event at most
 * once per device every `eventEveryMs`. Those repeated events stay out of the event history:
 * 2,000 polling devices would push everything else out of it, and `lastSeen` is in the status.
 */
export class LastSeen {
  private readonly announced = new Map<string, number>();
  private pending = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly ctx: ServerContext,
    private readonly eventEveryMs = 5_000,
    private readonly writeEveryMs = 30_000,
  ) {}

  /** `device` contacted the server `nowMs`. */
  note(device: Device, nowMs = Date.now()): void {
    const at = new Date(nowMs).toISOString();
    device.lastSeen = at;
    if (this.closed) return;
    this.pending.set(device.id, at);
    this.timer ??= setTimeout(() => this.flush(), this.writeEveryMs).unref();
    const last = this.announced.get(device.id);
    if (last !== undefined && nowMs - last < this.eventEveryMs) return;
    this.announced.set(device.id, nowMs);
    this.ctx.events.emit('device.seen', device, false);
  }

  /** An event that carries the device (first contact, new attributes) was just sent. */
  announcedNow(deviceId: string, nowMs = Date.now()): void {
    this.announced.set(deviceId, nowMs);
  }

  /** Writes what is pending before the journal closes; requests still in flight only touch memory. */
  close(): void {
    this.flush();
    this.closed = true;
  }

  /** Journals the contact times not written yet (on a timer, and at close). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0) return;
    const at = Object.fromEntries(this.pending);
    this.pending = new Map();
    this.ctx.recordLazily({ t: 'seen', at });
  }
}
