/**
 * Whether a listen address keeps the server on this machine. The CLI and the extension both warn
 * when it does not (devices, and anyone else, on the network can then reach it).
 */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\./.test(host);
}
