/**
 * Whether a listen address keeps the server on this machine. The CLI and the extension both warn
 * when it does not (devices, and anyone else, on the network can then reach it).
 */
export function isLoopback(host: string): boolean {
  // 127.0.0.0/8 as an address only: `127.0.0.1.attacker.example` is a name anyone can point anywhere.
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
