import type { ServerEvent, ServerEventType, StatusReport } from '../core/protocol/management';

/**
 * The events between two status reports, in our server's event vocabulary, so a server without
 * an event stream (hawkBit, polled) feeds `ota watch` and the live view like ours does. The
 * first report (no `before`) yields nothing: watchers show what happens from now on.
 */
export function statusEvents(before: StatusReport | undefined, after: StatusReport, nextId: () => number): ServerEvent[] {
  if (!before) return [];
  const out: ServerEvent[] = [];
  const at = new Date().toISOString();
  const emit = (type: ServerEventType, data: unknown) => out.push({ id: nextId(), at, type, data });
  const known = <T extends { id: string }>(list: T[]) => new Map(list.map((x) => [x.id, x]));
  const releases = known(before.releases);
  for (const r of after.releases) if (!releases.has(r.id)) emit('release.created', r);
  const deployments = known(before.deployments);
  for (const d of after.deployments) if (!deployments.has(d.id)) emit('deployment.created', d);
  const devices = known(before.devices);
  for (const d of after.devices) {
    const old = devices.get(d.id);
    if (!old) emit('device.seen', d);
    else if (JSON.stringify(old.attributes) !== JSON.stringify(d.attributes)) emit('device.attributes', d);
    const reasons = new Set((old?.whyNot ?? []).map((w) => `${w.deploymentId}\u0000${w.reason}`));
    for (const w of d.whyNot) if (!reasons.has(`${w.deploymentId}\u0000${w.reason}`)) emit('device.not-offered', { deviceId: d.id, ...w });
  }
  const sessions = known(before.sessions);
  for (const s of after.sessions) {
    const old = sessions.get(s.id);
    if (!old || old.state !== s.state || old.progress !== s.progress || old.details.length !== s.details.length) emit('session.updated', s);
  }
  return out;
}
