import type { Deployment, UpdateSession } from '../../core/protocol/management';

/** How far a deployment got, counted in devices: `updated` of `devices`, `failed` among them. */
export interface DeploymentProgress {
  deployment: Deployment;
  /** Devices the deployment names, or (for "every matching device") those it was offered to so far. */
  devices: number;
  updated: number;
  failed: number;
  /** Devices with a session under way. */
  updating: number;
}

/**
 * The newest active deployment and its progress: each device counted once, by its newest session
 * for that deployment (a device that failed and then succeeded is updated). Undefined when no
 * deployment is active. No `vscode` import: unit-tested as is.
 */
export function activeDeploymentProgress(deployments: Iterable<Deployment>, sessions: Iterable<UpdateSession>): DeploymentProgress | undefined {
  let active: Deployment | undefined;
  for (const d of deployments) if (d.state === 'active' && (!active || Number(d.id) > Number(active.id))) active = d;
  if (!active) return undefined;
  const newest = new Map<string, UpdateSession>();
  for (const s of sessions) {
    if (s.deploymentId !== active.id) continue;
    const known = newest.get(s.deviceId);
    if (!known || Number(s.id) > Number(known.id)) newest.set(s.deviceId, s);
  }
  let updated = 0;
  let failed = 0;
  let updating = 0;
  for (const s of newest.values()) {
    if (s.state === 'succeeded') updated++;
    else if (s.state === 'failed') failed++;
    else if (s.state !== 'cancelled') updating++;
  }
  const devices = active.devices === 'all' ? newest.size : new Set([...active.devices, ...newest.keys()]).size;
  return { deployment: active, devices, updated, failed, updating };
}
