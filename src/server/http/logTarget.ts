/**
 * A request target fit for a log line: devices may put their token in `?token=` (esp_https_ota
 * URLs have nowhere else for it), so its value is masked; an absolute-form target loses its
 * host and any user:password with it.
 */
export function logTarget(target: string): string {
  const q = target.indexOf('?');
  let path = q < 0 ? target : target.slice(0, q);
  if (!path.startsWith('/')) {
    try {
      path = new URL(path).pathname;
    } catch {
      path = '(bad target)';
    }
  }
  if (q < 0) return path;
  const query = new URLSearchParams(target.slice(q + 1));
  if (!query.has('token')) return `${path}?${target.slice(q + 1)}`;
  const masked = new URLSearchParams();
  for (const [k, v] of query) masked.append(k, k === 'token' ? '***' : v);
  return `${path}?${masked.toString()}`;
}
