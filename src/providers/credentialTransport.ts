import { OtaError } from '../core/errors';
import { isLoopback } from '../core/net/loopback';

/**
 * Credentials (a bearer token, a Basic password) travel only over HTTPS or to this machine:
 * plain HTTP to another host would hand them to anyone on the path. Checked before the first
 * request, so nothing is sent.
 */
export function assertCredentialTransport(url: URL, serverName: string): void {
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return;
  throw new OtaError(`refusing to send credentials to ${url.origin} over ${url.protocol.replace(':', '').toUpperCase()}`, {
    where: serverName,
    code: 'insecure-transport',
    hint: 'use an https:// URL (with "ca" for a private CA, e.g. the one `ota ca` made); plain http:// is allowed for 127.0.0.1, ::1 and localhost only',
  });
}
