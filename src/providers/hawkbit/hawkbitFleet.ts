import type { HawkbitHttp } from './hawkbitHttp';
import type { HbPaged, HbTarget } from './hawkbitJson';

export interface FleetTarget {
  target: HbTarget;
  /** What the device reported in configData (DDI), empty when nothing yet. */
  attributes: Record<string, string>;
}

/** Page size for listing; hawkBit clamps anything above 500 (§1). */
const pageSize = 500;

/** Every target with its attributes (§2.6: `GET /targets/{cid}/attributes` is 204 when none). */
export async function listFleet(http: HawkbitHttp, signal?: AbortSignal): Promise<FleetTarget[]> {
  const targets = await listAll<HbTarget>(http, 'rest/v1/targets', signal);
  const out: FleetTarget[] = [];
  for (const target of targets) {
    const attributes = (await http.optional<Record<string, string>>(`rest/v1/targets/${encodeURIComponent(target.controllerId)}/attributes`, signal)) ?? {};
    out.push({ target, attributes });
  }
  return out;
}

export async function listAll<T>(http: HawkbitHttp, path: string, signal?: AbortSignal, query: Record<string, string> = {}): Promise<T[]> {
  const out: T[] = [];
  for (let offset = 0; ; offset += pageSize) {
    const page = await http.json<HbPaged<T>>('GET', path, { query: { ...query, offset, limit: pageSize }, ...(signal ? { signal } : {}) });
    out.push(...page.content);
    if (page.content.length === 0 || out.length >= page.total) return out;
  }
}
