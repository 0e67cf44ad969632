import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * Checks `Authorization: Bearer <token>` in constant time. Both sides are hashed first so the
 * comparison takes the same time whatever the length of the guess.
 */
export function bearerMatches(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? '';
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  const given = createHash('sha256').update(m ? m[1]! : '').digest();
  const expected = createHash('sha256').update(token).digest();
  return timingSafeEqual(given, expected) && m !== null;
}

/**
 * The optional shared device token (hawkBit's gateway token), for a server that devices reach
 * over a network. Accepted as `Authorization: GatewayToken|TargetToken|Bearer <t>` (DDI clients),
 * as the password of Basic auth (Arduino's `setAuthorization`) or as `?token=` (a URL baked into
 * esp_https_ota firmware). Compared in constant time like the management token.
 */
export function deviceTokenMatches(req: IncomingMessage, query: URLSearchParams, token: string): boolean {
  const header = req.headers.authorization ?? '';
  let given = query.get('token') ?? '';
  const scheme = /^(GatewayToken|TargetToken|Bearer)[ \t]+(\S+)[ \t]*$/i.exec(header);
  if (scheme) given = scheme[2]!;
  const basic = /^Basic[ \t]+([A-Za-z0-9+/=]+)[ \t]*$/i.exec(header);
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    given = decoded.slice(decoded.indexOf(':') + 1);
  }
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b) && given !== '';
}
