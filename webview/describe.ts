import type { LiveState } from './liveState';
import { mismatches } from './mismatch';
import type { ViewDescription } from './protocol';

/** What the view shows, for the host's `describe` request (tests read the view through it). */
export function describeView(state: LiveState): ViewDescription {
  const devices = [...state.devices.values()];
  return {
    ...(state.snapshot ? { source: state.snapshot.source.url } : {}),
    ...(state.connection ? { connection: state.connection.state } : {}),
    devices: devices.map((d) => ({ id: d.id, ...(d.attributes.version ? { version: d.attributes.version } : {}), lastSeen: d.lastSeen, mismatch: mismatches(d, state.expectationFor(d)) })),
    sessions: [...state.sessions.values()].map((s) => ({ id: s.id, deviceId: s.deviceId, state: s.state, progress: s.progress })),
    notOffered: devices.flatMap((d) => state.whyNotOf(d).map((w) => ({ deviceId: d.id, reason: w.reason }))),
    eventsApplied: state.eventsApplied,
    consoleLines: state.console.length,
    consoleDevices: [...new Set(state.console.map((l) => l.device))].sort(),
    consoleMeanings: [...new Set(state.console.flatMap((l) => (l.meaning ? [l.meaning] : [])))],
  };
}
