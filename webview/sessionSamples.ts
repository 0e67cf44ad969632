import type { UpdateSession } from '../src/core/protocol/management';

/** One reading of a session: when (the server's time of its last activity), how far, how fast. */
export interface SessionSample {
  t: number;
  progress: number;
  bps?: number;
}

/** Samples kept per session: a 20 kbps download of a few MiB reports for many minutes. */
const keepPerSession = 600;

/**
 * Progress and throughput of each session over time, from the session events the view received
 * (nothing is interpolated: a view opened mid-download starts its chart there).
 */
export class SessionSamples {
  private readonly bySession = new Map<string, SessionSample[]>();

  add(session: UpdateSession): void {
    const t = Date.parse(session.lastActivity);
    if (Number.isNaN(t)) return;
    const list = this.bySession.get(session.id) ?? [];
    const last = list.at(-1);
    if (last && t < last.t) return;
    const sample: SessionSample = { t, progress: session.progress, ...(session.throughputBps ? { bps: session.throughputBps } : {}) };
    // Same instant: the newer reading replaces the older one.
    if (last && t === last.t) list[list.length - 1] = sample;
    else list.push(sample);
    if (list.length > keepPerSession) list.splice(0, list.length - keepPerSession);
    this.bySession.set(session.id, list);
  }

  of(sessionId: string): readonly SessionSample[] {
    return this.bySession.get(sessionId) ?? [];
  }

  /** Forgets sessions that are no longer in the view. */
  keepOnly(ids: ReadonlySet<string>): void {
    for (const id of this.bySession.keys()) if (!ids.has(id)) this.bySession.delete(id);
  }

  clear(): void {
    this.bySession.clear();
  }
}
