import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';
import { OtaError } from '../../core/errors';

/**
 * Who may talk to the server, judged from headers browsers set and pages cannot forge:
 *
 * - `Host` must be one of the server's own names or addresses. A page on a name an attacker
 *   controls that re-resolves to 127.0.0.1 (DNS rebinding) sends its own name: 421.
 * - A request carrying an `Origin` other than the server's own, or a `Sec-Fetch-Site` other
 *   than same-origin / none (a user typing the URL), comes from another page in a browser:
 *   403. Devices, curl and our clients send neither.
 *
 * Checked before any route or token, so a refused request changes nothing.
 */
export class RequestGuard {
  private readonly names: ReadonlySet<string>;

  constructor(bindHost: string, extraNames: readonly string[]) {
    const names = new Set<string>(['localhost', '127.0.0.1', '::1', hostname().toLowerCase(), `${hostname().toLowerCase()}.local`]);
    for (const n of [bindHost, ...extraNames]) names.add(bare(n));
    // Devices on the network use one of this machine's addresses.
    for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) names.add(a.address.replace(/%.*$/, '').toLowerCase());
    this.names = names;
  }

  /**
   * Host headers found good, exactly as sent: a device fetching its image in 4 KiB ranges sends
   * the same one thousands of times. Bounded, and only good ones are kept, so junk cannot fill it.
   */
  private readonly goodHosts = new Set<string>();

  check(req: IncomingMessage): void {
    const host = req.headers.host;
    // HTTP/1.0 clients may send no Host at all; without one there is no name to rebind.
    if (host !== undefined && !this.goodHosts.has(host)) {
      if (!this.allows(hostOf(host))) {
        throw new OtaError(`this server does not answer for the host name "${host.slice(0, 100)}"`, {
          code: 'misdirected',
          hint: 'use the address the server printed, or start it with --public-host NAME to add a name devices use',
        });
      }
      if (this.goodHosts.size < 64) this.goodHosts.add(host);
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !this.sameServer(origin, host)) {
      throw new OtaError(`requests from web pages of another origin (${origin.slice(0, 100)}) are refused`, { code: 'forbidden', hint: 'devices and API clients send no Origin header' });
    }
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') {
      throw new OtaError(`requests a browser makes for another site's page (Sec-Fetch-Site: ${String(site).slice(0, 40)}) are refused`, { code: 'forbidden' });
    }
  }

  private allows(name: string): boolean {
    return this.names.has(name) || (name.endsWith('.localhost') && name.length > '.localhost'.length);
  }

  /** `origin` is this server as the request addressed it (same host and port). */
  private sameServer(origin: string, host: string | undefined): boolean {
    if (host === undefined) return false;
    try {
      const u = new URL(origin);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.host.toLowerCase() === host.toLowerCase();
    } catch {
      return false;
    }
  }
}

/** The name in a Host header, without the port and IPv6 brackets, lower case. */
function hostOf(header: string): string {
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    return end < 0 ? h : h.slice(1, end);
  }
  const colon = h.lastIndexOf(':');
  return colon >= 0 && isIP(h) === 0 ? h.slice(0, colon) : h;
}

function bare(name: string): string {
  return name.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
}
