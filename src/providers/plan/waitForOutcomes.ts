import { OtaError } from '../../core/errors';
import type { Device, UpdateSession } from '../../core/protocol/management';
import type { PushProvider } from '../provider';
import { readFleetStatus } from './fleetStatus';
import type { FleetStatus } from './fleetStatus';

const ended = new Set(['succeeded', 'failed', 'cancelled']);

export interface CycleOutcome {
  /** Per device: its session for the deployment, if one opened. */
  sessions: Map<string, UpdateSession>;
  /** Per device: why the server did not offer it the deployment. */
  notOffered: Map<string, string>;
  devices: Map<string, Device>;
  status: FleetStatus;
  /** False when the wait ran out or was stopped before every device had an outcome. */
  settled: boolean;
}

/**
 * Polls the server until every one of `deviceIds` has an outcome for `deploymentId` (a session
 * that ended, or a reason it was not offered), `timeoutMs` passes, or `signal` aborts. Never
 * throws on the timeout or the abort: the caller reports what it has.
 */
export async function waitForOutcomes(
  provider: PushProvider,
  deploymentId: string,
  deviceIds: readonly string[],
  options: { timeoutMs: number; pollMs: number; signal: AbortSignal; sessionsFrom: number; onPoll?: (done: number, total: number) => void },
): Promise<CycleOutcome> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const status = await readFleetStatus(provider, options.signal, options.sessionsFrom).catch((err: unknown) => {
      if (options.signal.aborted) return undefined;
      throw err;
    });
    if (!status) throw new OtaError('stopped', { code: 'cancelled' });
    const outcome = outcomeOf(status, deploymentId, deviceIds);
    const done = deviceIds.filter((id) => isDone(outcome, id)).length;
    options.onPoll?.(done, deviceIds.length);
    if (done === deviceIds.length || Date.now() >= deadline || options.signal.aborted) return { ...outcome, settled: done === deviceIds.length };
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done_, Math.min(options.pollMs, Math.max(0, deadline - Date.now())));
      function done_() {
        options.signal.removeEventListener('abort', done_);
        clearTimeout(timer);
        resolve();
      }
      options.signal.addEventListener('abort', done_, { once: true });
    });
  }
}

function isDone(o: Omit<CycleOutcome, 'settled'>, id: string): boolean {
  const s = o.sessions.get(id);
  return s ? ended.has(s.state) : o.notOffered.has(id);
}

function outcomeOf(status: FleetStatus, deploymentId: string, deviceIds: readonly string[]): Omit<CycleOutcome, 'settled'> {
  const wanted = new Set(deviceIds);
  const sessions = new Map<string, UpdateSession>();
  for (const s of status.sessions) {
    if (s.deploymentId !== deploymentId || !wanted.has(s.deviceId)) continue;
    const seen = sessions.get(s.deviceId);
    if (!seen || Number(s.id) > Number(seen.id)) sessions.set(s.deviceId, s);
  }
  const notOffered = new Map<string, string>();
  const devices = new Map<string, Device>();
  for (const d of status.devices) {
    if (!wanted.has(d.id)) continue;
    devices.set(d.id, d);
    const why = d.whyNot.find((w) => w.deploymentId === deploymentId && w.reason !== '');
    if (why && !sessions.has(d.id)) notOffered.set(d.id, why.reason);
  }
  return { sessions, notOffered, devices, status };
}

/**
 * Waits until each device has reported its key and channel to the server, so a deployment made
 * next is decided on what it reports, not refused for having reported nothing yet.
 */
export async function waitForDevicesOnline(provider: PushProvider, deviceIds: readonly string[], options: { timeoutMs: number; signal: AbortSignal }): Promise<void> {
  const since = Date.now() - 1000;
  const deadline = since + 1000 + options.timeoutMs;
  for (;;) {
    options.signal.throwIfAborted();
    const status = await readFleetStatus(provider, options.signal);
    // Seen since the wait began: a device id the server knew from an earlier run has attributes
    // already, and they may be stale (what an earlier device of that id ran).
    const online = new Set(status.devices.filter((d) => d.attributes['fw_key'] !== undefined && Date.parse(d.lastSeen) >= since).map((d) => d.id));
    const missing = deviceIds.filter((id) => !online.has(id));
    if (!missing.length) return;
    if (Date.now() >= deadline) {
      throw new OtaError(`${missing.length} of ${deviceIds.length} devices did not report to the server within ${options.timeoutMs / 1000} s: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}`, {
        hint: 'check that the devices reach the server URL (and trust its CA)',
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
