import type { Deployment, Device, Release, SessionState, StatusReport, UpdateSession } from '../../core/protocol/management';
import { whyNotMatched } from '../channelMatch';
import type { ApiGeneration } from './generation';
import { actionDetail } from './generation';
import type { HawkbitHttp } from './hawkbitHttp';
import type { HbAction, HbActionStatus, HbArtifact, HbDistributionSet, HbPaged } from './hawkbitJson';
import { listAll, listFleet } from './hawkbitFleet';
import { releaseMetadata } from './hawkbitPublish';

/** How many of a target's newest actions status reads in full (with their status history). */
const actionsPerTarget = 5;

/**
 * hawkBit's targets, distribution sets and actions in the live view's model, so `ota status`,
 * the OTA view and the live view show a hawkBit server like ours: a distribution set is a
 * release, the sets with actions are deployments, an action is an update session, and each
 * device gets a why-not computed from its attributes against every deployment it has not got.
 */
export async function hawkbitStatus(http: HawkbitHttp, generation: ApiGeneration, products: readonly { pid: string; keys: string[] }[], signal?: AbortSignal): Promise<StatusReport> {
  const opt = signal ? { signal } : {};
  const sets = await listAll<HbDistributionSet>(http, 'rest/v1/distributionsets', signal);
  const releases: Release[] = [];
  for (const set of sets) {
    const meta = await http.json<HbPaged<{ key: string; value?: string }>>('GET', `rest/v1/distributionsets/${set.id}/metadata`, opt);
    const value = (k: string) => meta.content.find((m) => m.key === k)?.value ?? '';
    const module = set.modules?.[0];
    const artifacts = module ? await http.json<HbArtifact[]>('GET', `rest/v1/softwaremodules/${module.id}/artifacts`, opt) : [];
    const a = artifacts[0];
    releases.push({
      id: String(set.id),
      pid: value(releaseMetadata.pid),
      fwKey: value(releaseMetadata.fwKey),
      channel: value(releaseMetadata.channel),
      label: set.version,
      filename: a?.providedFilename ?? '',
      size: a?.size ?? 0,
      sha256: a?.hashes.sha256 ?? '',
      md5: a?.hashes.md5 ?? '',
      sha1: a?.hashes.sha1 ?? '',
      part: module?.type ?? '',
      createdAt: '',
    });
  }
  const fleet = await listFleet(http, signal);
  const sessions: UpdateSession[] = [];
  for (const { target } of fleet) {
    const cid = encodeURIComponent(target.controllerId);
    const list = await http.json<HbPaged<HbAction>>('GET', `rest/v1/targets/${cid}/actions`, { query: { limit: actionsPerTarget, sort: 'id:DESC' }, ...opt });
    for (const summary of list.content) {
      // The list carries only `_links.self`; the single action names its distribution set.
      const action = await http.json<HbAction>('GET', `rest/v1/targets/${cid}/actions/${summary.id}`, opt);
      const history = await http.json<HbPaged<HbActionStatus>>('GET', `rest/v1/targets/${cid}/actions/${summary.id}/status`, { query: { limit: 20 }, ...opt });
      const dsId = /distributionsets\/(\d+)/.exec(action._links?.distributionset?.href ?? '')?.[1] ?? '';
      const release = releases.find((r) => r.id === dsId);
      sessions.push(toSession(target.controllerId, action, history.content, release));
    }
  }
  const deployments: Deployment[] = [];
  for (const release of releases) {
    const mine = sessions.filter((s) => s.releaseId === release.id);
    if (!mine.length) continue;
    deployments.push({
      id: `ds-${release.id}`,
      releaseId: release.id,
      pid: release.pid,
      fwKey: release.fwKey,
      channel: release.channel,
      devices: [...new Set(mine.map((s) => s.deviceId))],
      type: 'forced',
      // Like ours, a deployment stays active once its devices installed it (the why-nots of the
      // devices it passes over still stand); only one whose every action was cancelled is cancelled.
      state: mine.every((s) => s.state === 'cancelled') ? 'cancelled' : 'active',
      createdAt: mine.map((s) => s.startedAt).sort()[0] ?? '',
    });
  }
  const devices: Device[] = fleet.map(({ target, attributes }) => {
    const lastSeen = target.pollStatus?.lastRequestAt ?? target.lastControllerRequestAt;
    const whyNot = deployments
      .filter((d) => !sessions.some((s) => s.deviceId === target.controllerId && s.deploymentId === d.id))
      .flatMap((d) => {
        const boundKeys = products.find((p) => p.pid === d.pid)?.keys ?? [];
        const reason = whyNotMatched(target.controllerId, attributes, { pid: d.pid, fwKey: d.fwKey, channel: d.channel, boundKeys });
        return reason ? [{ deploymentId: d.id, reason, at: iso(lastSeen) }] : [];
      });
    return { id: target.controllerId, protocol: 'ddi', attributes, firstSeen: iso(target.createdAt), lastSeen: iso(lastSeen), whyNot };
  });
  return {
    server: { version: `hawkBit (Management API ${generation === 'current' ? '≥0.10' : '≤0.9'})`, startedAt: '', offlineTimeoutMs: 0, minBandwidthBps: 0, tls: http.origin.startsWith('https:') },
    products: products.map((p) => ({ pid: p.pid, keys: [...p.keys] })),
    releases,
    deployments,
    devices,
    sessions,
  };
}

/** hawkBit's detail status (§2.7) as our session state. */
export function sessionState(detail: string): SessionState {
  switch (detail) {
    case 'finished':
      return 'succeeded';
    case 'error':
      return 'failed';
    case 'canceled':
    case 'canceling':
    case 'cancel_rejected':
      return 'cancelled';
    case 'download':
    case 'retrieved':
      return 'downloading';
    case 'downloaded':
      return 'downloaded';
    case 'running':
    case 'warning':
      return 'installing';
    default:
      // scheduled, wait_for_confirmation: created, not yet fetched by the device.
      return 'offered';
  }
}

function toSession(deviceId: string, action: HbAction, history: HbActionStatus[], release: Release | undefined): UpdateSession {
  const { detail, active } = actionDetail(action);
  const state = active && detail === 'finished' ? 'installing' : sessionState(detail);
  const size = release?.size ?? 0;
  const progress = state === 'succeeded' ? 1 : state === 'downloaded' || state === 'installing' ? 0.9 : 0;
  const oldestFirst = [...history].sort((a, b) => a.id - b.id);
  const details = oldestFirst.map((h) => `${iso(h.reportedAt)} ${h.type}${h.messages?.length ? `: ${h.messages.join('; ')}` : ''}`);
  const lastError = [...oldestFirst].reverse().find((h) => h.type === 'error');
  return {
    id: String(action.id),
    deploymentId: release ? `ds-${release.id}` : '',
    releaseId: release?.id ?? '',
    deviceId,
    state,
    size,
    bytesServed: Math.round(progress * size),
    progress,
    startedAt: iso(action.createdAt),
    lastActivity: iso(action.lastModifiedAt ?? oldestFirst.at(-1)?.reportedAt),
    ...(state === 'succeeded' || state === 'failed' || state === 'cancelled' ? { endedAt: iso(action.lastModifiedAt) } : {}),
    ...(state === 'failed' ? { failureReason: lastError?.messages?.join('; ') || 'the device reported an error' } : {}),
    slow: false,
    details,
  };
}

function iso(ms: number | undefined): string {
  return ms === undefined ? '' : new Date(ms).toISOString();
}
