import type { ServerEvent, StatusReport } from '../core/protocol/management';
import type { PushProvider } from './provider';
import { statusEvents } from './statusDiff';

/** What a poller tells whoever follows a server that has no event stream (hawkBit). */
export interface PollListener {
  /** Every report, the first one included. */
  onReport?(report: StatusReport): void;
  /** What changed since the previous report, in our server's event vocabulary. */
  onEvents?(events: ServerEvent[]): void;
  /** A poll failed; the poller keeps going at the same interval. */
  onError?(err: unknown): void;
  /** A poll succeeded after one or more failed: `report` has what happened meanwhile. */
  onRecovered?(report: StatusReport): void;
}

export interface PollOptions {
  intervalMs: number;
  signal: AbortSignal;
  /** Ids for the events (the live view's log tells events apart by id). */
  nextId: () => number;
  /** A report already shown: the first poll waits one interval and reports changes against it. */
  initial?: StatusReport;
}

/**
 * Asks a provider for its status every `intervalMs` until the signal aborts, and turns each pair
 * of reports into events — how `ota watch` and the live view follow hawkBit. One request cycle at
 * a time: the next waits for the interval after the previous one answered, so a slow server is
 * never asked twice at once.
 */
export async function pollStatus(provider: PushProvider, options: PollOptions, listener: PollListener): Promise<void> {
  const { intervalMs, signal, nextId } = options;
  let before = options.initial;
  let failing = false;
  if (before) await sleep(intervalMs, signal);
  while (!signal.aborted) {
    let report: StatusReport | undefined;
    try {
      report = await provider.status(signal);
    } catch (err) {
      if (signal.aborted) return;
      failing = true;
      listener.onError?.(err);
    }
    if (report && !signal.aborted) {
      listener.onReport?.(report);
      const events = statusEvents(before, report, nextId);
      if (events.length) listener.onEvents?.(events);
      if (failing) listener.onRecovered?.(report);
      failing = false;
      before = report;
    }
    await sleep(intervalMs, signal);
  }
}

/** Resolves after `ms`, or at once when the signal aborts (never rejects: the loop checks the signal). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
