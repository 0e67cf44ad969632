import type { HawkbitHttp } from './hawkbitHttp';
import type { HbAction, HbPaged, HbType } from './hawkbitJson';

/**
 * hawkBit's Management API changed shape at 0.10.0 (§5): `legacy` is ≤0.9.0, `current` ≥0.10.0.
 * The tell: software module types carry `minArtifacts` only from 0.10.0 on.
 */
export type ApiGeneration = 'legacy' | 'current';

export async function detectGeneration(http: HawkbitHttp, signal?: AbortSignal): Promise<ApiGeneration> {
  const page = await http.json<HbPaged<HbType>>('GET', 'rest/v1/softwaremoduletypes', { query: { limit: 1 }, ...(signal ? { signal } : {}) });
  return page.content[0] && page.content[0].minArtifacts !== undefined ? 'current' : 'legacy';
}

/**
 * An action's detail status in either generation: ≥0.10.0 puts it in `status` (with `active`),
 * ≤0.9.0 in `detailStatus` (and `status` is pending/finished). The action itself tells which.
 */
export function actionDetail(action: HbAction): { detail: string; active: boolean } {
  if (action.detailStatus !== undefined) return { detail: action.detailStatus, active: action.status === 'pending' };
  return { detail: action.status, active: action.active ?? !['finished', 'error', 'canceled'].includes(action.status) };
}
