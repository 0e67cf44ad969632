import type { LiveState } from './liveState';
import { mismatches } from './mismatch';
import type { ViewDescription } from './protocol';

function countsByKey(state: LiveState): Record<string, number> {
  const c = state.counts();
  return { devices: c.devices, updating: c.updating, updated: c.updated, failed: c.failed, 'not offered': c.notOffered };
}

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
    counts: countsByKey(state),
    consoleLines: state.console.size,
    consoleDevices: state.console.devices(),
    consoleMeanings: [...new Set(state.console.all().flatMap((l) => (l.meaning ? [l.meaning] : [])))],
    rollouts: state.rollouts.map((r) => ({ id: r.id, name: r.name, state: r.state, groups: r.groups.map((g) => ({ name: g.name, state: g.state, succeeded: g.counts.succeeded, failed: g.counts.failed, total: g.counts.total })) })),
  };
}
