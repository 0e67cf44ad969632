import { OtaError } from '../errors';
import { isLoopback } from './loopback';

/**
 * Whether a bearer credential may be sent to `url`: over HTTPS anywhere, over plain HTTP only
 * to this machine. A workspace config (a cloned repository) names the URL; over plain HTTP to
 * another host the token would cross the network readable by anyone on the path.
 */
export function checkCredentialTarget(url: URL, what: string): void {
  if (url.protocol === 'https:') return;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (url.protocol === 'http:' && isLoopback(host)) return;
  throw new OtaError(`${what} would be sent over ${url.protocol.replace(/:$/, '')} to ${url.host}, where anyone on the network path can read it`, {
    code: 'insecure-credential-target',
    where: url.origin,
    hint: 'use an https:// URL for a server on another machine (plain http is only for 127.0.0.1 / localhost)',
  });
}
