/**
 * The hawkBit permission an operation needs, for a 403 message (hawkBit's SpPermission names).
 * An assignment also needs READ_REPOSITORY; the message names the one most likely missing.
 */
export function permissionFor(method: string, path: string): string {
  const p = path.replace(/^\/?rest\/v1\//, '').replace(/^\//, '');
  const write = method !== 'GET';
  if (/^distributionsets\/[^/]+\/assignedTargets/.test(p) || /^targets\/[^/]+\/assignedDS/.test(p)) return 'UPDATE_TARGET';
  if (p.startsWith('rollouts')) {
    if (!write) return 'READ_ROLLOUT';
    if (/\/(start|pause|resume|triggerNextGroup|stop)$/.test(p)) return 'HANDLE_ROLLOUT';
    if (/\/(approve|deny)$/.test(p)) return 'APPROVE_ROLLOUT';
    return method === 'DELETE' ? 'DELETE_ROLLOUT' : method === 'POST' ? 'CREATE_ROLLOUT' : 'UPDATE_ROLLOUT';
  }
  if (p.startsWith('targets') || p.startsWith('targetfilters') || p.startsWith('actions')) {
    if (!write) return 'READ_TARGET';
    return method === 'DELETE' ? 'DELETE_TARGET' : method === 'POST' && !p.includes('/') ? 'CREATE_TARGET' : 'UPDATE_TARGET';
  }
  if (/\/download$/.test(p)) return 'DOWNLOAD_REPOSITORY_ARTIFACT';
  if (!write) return 'READ_REPOSITORY';
  if (method === 'DELETE') return 'DELETE_REPOSITORY';
  return method === 'POST' ? 'CREATE_REPOSITORY' : 'UPDATE_REPOSITORY';
}
