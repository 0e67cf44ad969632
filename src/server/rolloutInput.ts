import { OtaError } from '../core/errors';
import type { DeploymentType, RolloutAdvance, RolloutGroupSpec, RolloutRequestBody } from '../core/protocol/management';
import { hasControlChars } from '../core/text/controlChars';
import { checkDeviceId } from './deviceInput';

/** A rollout request after its checks: every field present and in range. */
export interface CheckedRollout {
  name: string;
  releaseId: string;
  pid?: string;
  fwKey?: string;
  channel?: string;
  devices?: string[];
  groups: number | RolloutGroupSpec[];
  successThreshold: number;
  errorThreshold: number;
  advance: RolloutAdvance;
  type: DeploymentType;
}

export const rolloutNameChars = 128;

const bad = (message: string, hint?: string): OtaError => new OtaError(message, { code: 'bad-request', ...(hint ? { hint } : {}) });

const example = '{"name": "spring", "releaseId": "12", "groups": 3} or "groups": [{"count": 2}, {"percent": 50}]';

/**
 * Checks a `POST /api/v1/rollouts` body field by field, so a client learns which field is wrong
 * and what would be right. Nothing is recorded before this passes.
 */
export function checkRolloutRequest(body: unknown, limits: { maxGroups: number; maxDevices: number }): CheckedRollout {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw bad('a rollout must be a JSON object', `send e.g. ${example}`);
  const b = body as Partial<Record<keyof RolloutRequestBody, unknown>>;
  const known = new Set(['name', 'releaseId', 'pid', 'fwKey', 'channel', 'devices', 'groups', 'successThreshold', 'errorThreshold', 'advance', 'type']);
  const unknown = Object.keys(b).filter((k) => !known.has(k));
  if (unknown.length) throw bad(`unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k.slice(0, 40)}"`).join(', ')} in the rollout`, `the fields are ${[...known].join(', ')}`);

  if (typeof b.name !== 'string' || b.name.trim() === '') throw bad('"name" must be a non-empty string', `send e.g. ${example}`);
  if (b.name.length > rolloutNameChars || hasControlChars(b.name)) throw bad(`"name" must be at most ${rolloutNameChars} printable characters`);
  const releaseId = typeof b.releaseId === 'number' && Number.isInteger(b.releaseId) ? String(b.releaseId) : b.releaseId;
  if (typeof releaseId !== 'string' || releaseId === '') throw bad('"releaseId" must be the id of a release', 'list releases with GET /api/v1/releases');
  for (const f of ['pid', 'fwKey', 'channel'] as const) {
    if (b[f] !== undefined && (typeof b[f] !== 'string' || b[f] === '')) throw bad(`"${f}" must be a non-empty string (omit it for the release's own)`);
  }

  let devices: string[] | undefined;
  if (b.devices !== undefined) {
    if (!Array.isArray(b.devices) || b.devices.length === 0 || b.devices.some((d) => typeof d !== 'string')) {
      throw bad('"devices" must be a non-empty list of device ids (omit it for every matching device)');
    }
    if (b.devices.length > limits.maxDevices) throw bad(`"devices" names ${b.devices.length} devices; this server knows at most ${limits.maxDevices}`);
    devices = (b.devices as string[]).map((d) => checkDeviceId(d));
    const seen = new Set<string>();
    for (const d of devices) {
      if (seen.has(d)) throw bad(`device ${d} is named twice in "devices"`);
      seen.add(d);
    }
  }

  const groups = checkGroups(b.groups, limits.maxGroups);
  const successThreshold = percentage(b.successThreshold, 'successThreshold', 100);
  if (successThreshold === 0) throw bad('"successThreshold" must be above 0', 'it is the percent of a group that must succeed before the next group starts, e.g. 100 or 80');
  const errorThreshold = percentage(b.errorThreshold, 'errorThreshold', 0);
  if (errorThreshold === 100) throw bad('"errorThreshold" must be below 100', 'more than this percent of a group failing pauses the rollout; 0 pauses at the first failure');
  const advance = b.advance ?? 'auto';
  if (advance !== 'auto' && advance !== 'approve') throw bad('"advance" must be "auto" (the next group starts by itself) or "approve" (it waits for POST …/approve)');
  const type = b.type ?? 'forced';
  if (type !== 'soft' && type !== 'forced') throw bad('"type" must be "soft" or "forced"');
  return {
    name: b.name.trim(),
    releaseId,
    ...(b.pid !== undefined ? { pid: b.pid as string } : {}),
    ...(b.fwKey !== undefined ? { fwKey: b.fwKey as string } : {}),
    ...(b.channel !== undefined ? { channel: b.channel as string } : {}),
    ...(devices ? { devices } : {}),
    groups,
    successThreshold,
    errorThreshold,
    advance,
    type,
  };
}

function percentage(value: unknown, field: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 100) throw bad(`"${field}" must be a number from 0 to 100 (a percentage), not ${JSON.stringify(value)?.slice(0, 40)}`);
  return value;
}

function checkGroups(value: unknown, maxGroups: number): number | RolloutGroupSpec[] {
  const hint = `send a number of equal groups, or a list like [{"count": 2}, {"percent": 30}, {"percent": 70}]; at most ${maxGroups} groups`;
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 1 || value > maxGroups) throw bad(`"groups" must be a whole number from 1 to ${maxGroups}, not ${value}`, hint);
    return value;
  }
  if (!Array.isArray(value) || value.length === 0) throw bad('"groups" is missing or empty', hint);
  if (value.length > maxGroups) throw bad(`"groups" lists ${value.length} groups; at most ${maxGroups} are allowed`, hint);
  let percents = 0;
  const out = value.map((g: unknown, i): RolloutGroupSpec => {
    const where = `group ${i + 1} of "groups"`;
    if (typeof g !== 'object' || g === null || Array.isArray(g)) throw bad(`${where} must be {"count": N} or {"percent": P}`, hint);
    const keys = Object.keys(g);
    const o = g as Record<string, unknown>;
    if (keys.length === 1 && keys[0] === 'count') {
      if (typeof o.count !== 'number' || !Number.isInteger(o.count) || o.count < 1) throw bad(`${where}: "count" must be a whole number of devices, at least 1`, hint);
      return { count: o.count };
    }
    if (keys.length === 1 && keys[0] === 'percent') {
      if (typeof o.percent !== 'number' || !(o.percent > 0 && o.percent <= 100)) throw bad(`${where}: "percent" must be above 0 and at most 100`, hint);
      percents += o.percent;
      return { percent: o.percent };
    }
    throw bad(`${where} must be {"count": N} or {"percent": P}, not ${JSON.stringify(g).slice(0, 60)}`, hint);
  });
  if (percents > 100 + 1e-9) throw bad(`the group percentages add up to ${percents}; they must add up to at most 100`, hint);
  return out;
}

/**
 * Splits the devices, in order, into groups: N equal groups (sizes differing by one at most), or
 * by the listed counts and percentages of all devices (rounded up). The last group also takes
 * whatever is left, so no device is left out; groups past the end of the list are empty.
 */
export function splitIntoGroups(devices: readonly string[], groups: number | RolloutGroupSpec[]): string[][] {
  const n = devices.length;
  if (typeof groups === 'number') {
    return Array.from({ length: groups }, (_, i) => devices.slice(Math.round((i * n) / groups), Math.round(((i + 1) * n) / groups)));
  }
  const out: string[][] = [];
  let at = 0;
  groups.forEach((g, i) => {
    const wanted = i === groups.length - 1 ? n - at : 'count' in g ? g.count : Math.ceil((g.percent * n) / 100 - 1e-9);
    const size = Math.max(0, Math.min(wanted, n - at));
    out.push(devices.slice(at, at + size));
    at += size;
  });
  return out;
}
