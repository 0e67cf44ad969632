import { OtaError } from '../../core/errors';
import { whyNotMatched } from '../channelMatch';
import type { DeployRequest, DeployResult } from '../provider';
import type { HawkbitHttp } from './hawkbitHttp';
import type { HbAssignResult } from './hawkbitJson';
import { listFleet } from './hawkbitFleet';

/**
 * Assigns a distribution set (§2.5) to the named devices, or to every target whose reported
 * attributes match the release's PID, key and channel. hawkBit silently ignores unknown ids, so
 * they are checked first; with nothing matching, the error says why for each target.
 */
export async function deployOnHawkbit(http: HawkbitHttp, request: DeployRequest, signal?: AbortSignal): Promise<DeployResult> {
  const where = `hawkBit server "${http.connection.name}"`;
  if (request.type === 'timeforced' && request.forceTime === undefined) {
    throw new OtaError('a time-forced deployment needs the time it becomes forced', { where, hint: 'pass --force-time (ISO date or epoch ms)' });
  }
  const fleet = await listFleet(http, signal);
  let ids: string[];
  const notes: string[] = [];
  if (request.devices?.length) {
    const known = new Set(fleet.map((f) => f.target.controllerId.toLowerCase()));
    const unknown = request.devices.filter((d) => !known.has(d.toLowerCase()));
    if (unknown.length) {
      throw new OtaError(`no target named ${unknown.join(', ')} on the server (hawkBit would ignore it silently)`, {
        where,
        hint: `known targets: ${fleet.map((f) => f.target.controllerId).join(', ') || '(none yet: a device appears once it polls)'}`,
      });
    }
    ids = request.devices;
    for (const id of ids) {
      const f = fleet.find((x) => x.target.controllerId.toLowerCase() === id.toLowerCase())!;
      const why = whyNotMatched(f.target.controllerId, f.attributes, request);
      if (why) notes.push(`warning: ${why}`);
    }
  } else {
    const matching = fleet.filter((f) => whyNotMatched(f.target.controllerId, f.attributes, request) === undefined);
    if (!matching.length) {
      const reasons = fleet.map((f) => `  ${whyNotMatched(f.target.controllerId, f.attributes, request)}`);
      throw new OtaError(`no target reports PID ${request.pid}, a key bound to it and channel ${request.channel}${reasons.length ? `:\n${reasons.join('\n')}` : ' (the server has no targets yet)'}`, {
        where,
        hint: 'name devices with --devices, or fix what the devices report (fw_key, channel, pid in their configData)',
      });
    }
    ids = matching.map((f) => f.target.controllerId);
  }
  const body = ids.map((id) => ({
    id,
    type: request.type,
    ...(request.type === 'timeforced' ? { forcetime: request.forceTime } : {}),
    ...(request.maintenanceWindow ? { maintenanceWindow: { ...request.maintenanceWindow } } : {}),
  }));
  const result = await http.json<HbAssignResult>('POST', `rest/v1/distributionsets/${encodeURIComponent(request.releaseId)}/assignedTargets`, { body, ...(signal ? { signal } : {}) });
  notes.push(`distribution set ${request.releaseId} assigned to ${result.assigned} target(s) (${request.type})${result.alreadyAssigned ? `, ${result.alreadyAssigned} already had it` : ''}: ${ids.join(', ')}`);
  return { id: `ds-${request.releaseId}`, devices: ids, alreadyAssigned: result.alreadyAssigned, notes };
}
