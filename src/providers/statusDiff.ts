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
  const releasesNow = known(after.releases);
  for (const r of before.releases) if (!releasesNow.has(r.id)) emit('release.deleted', { id: r.id });
  const deployments = known(before.deployments);
  for (const d of after.deployments) {
    const old = deployments.get(d.id);
    if (!old) emit('deployment.created', d);
    // hawkBit has no cancel event: a deployment whose actions were all cancelled reads as cancelled.
    else if (old.state !== d.state && d.state === 'cancelled') emit('deployment.cancelled', d);
  }
  const devices = known(before.devices);
  for (const d of after.devices) {
    const old = devices.get(d.id);
    if (!old) emit('device.seen', d);
    else if (JSON.stringify(old.attributes) !== JSON.stringify(d.attributes)) emit('device.attributes', d);
    const key = (w: { deploymentId: string; reason: string }) => `${w.deploymentId}\u0000${w.reason}`;
    const reasons = new Set((old?.whyNot ?? []).map(key));
    for (const w of d.whyNot) if (!reasons.has(key(w))) emit('device.not-offered', { deviceId: d.id, ...w });
    // A why-not that went away (the device now matches, or got the update): the view drops it.
    const still = new Set(d.whyNot.map((w) => w.deploymentId));
    for (const w of old?.whyNot ?? []) if (!still.has(w.deploymentId)) emit('device.not-offered-cleared', { deviceId: d.id, deploymentId: w.deploymentId, at });
  }
  const sessions = known(before.sessions);
  for (const s of after.sessions) {
    const old = sessions.get(s.id);
    if (!old || old.state !== s.state || old.progress !== s.progress || old.details.length !== s.details.length) emit('session.updated', s);
  }
  return out;
}
