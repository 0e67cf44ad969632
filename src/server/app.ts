import type { IncomingMessage, ServerResponse } from 'node:http';
import { OtaError } from '../core/errors';
import type { Logger } from '../core/logger';
import { bearerMatches, deviceTokenMatches } from './http/auth';
import { logTarget } from './http/logTarget';
import { sendError } from './http/respond';
import { Router } from './http/router';
import { arduinoRoutes } from './routes/arduino';
import { ddiRoutes } from './routes/ddi';
import { managementRoutes } from './routes/management';
import { plainRoutes } from './routes/plain';
import type { OtaService } from './service';

/**
 * The request handler: management API behind the bearer token; device APIs in the open, or
 * behind the shared device token when one is set.
 */
export function createApp(service: OtaService, token: string, scheme: 'http' | 'https', log: Logger, deviceToken?: string): (req: IncomingMessage, res: ServerResponse) => void {
  const management = new Router();
  managementRoutes(management, service);
  const devices = new Router();
  plainRoutes(devices, service);
  arduinoRoutes(devices, service);
  ddiRoutes(devices, service, scheme);

  /** Routes the request; a promise only when the answer is still on its way (a sync answer stays promise-free). */
  const handle = (req: IncomingMessage, res: ServerResponse): Promise<void> | void => {
    const { pathname, query } = splitTarget(req.url ?? '/');
    const method = req.method ?? 'GET';
    const isApi = pathname === '/api' || pathname.startsWith('/api/');
    if (isApi && !bearerMatches(req, token)) {
      throw new OtaError('missing or wrong bearer token', { code: 'unauthorized', hint: 'send Authorization: Bearer <token> (the server prints where its token file is)' });
    }
    if (!isApi && deviceToken !== undefined && !deviceTokenMatches(req, query, deviceToken)) {
      res.setHeader('WWW-Authenticate', 'GatewayToken realm="ota devices"');
      throw new OtaError('this server wants a device token', { code: 'unauthorized', hint: 'send Authorization: GatewayToken <token> (SWUpdate -g, Zephyr, rauc-hawkbit-updater), Basic auth with it as the password, or ?token=' });
    }
    const match = (isApi ? management : devices).match(method, pathname);
    if (match.kind === 'none') throw new OtaError(`nothing at ${pathname}`, { code: 'not-found' });
    if (match.kind === 'method') {
      res.setHeader('Allow', [...new Set(match.allowed)].join(', '));
      throw new OtaError(`${method} is not allowed on ${pathname}`, { code: 'method-not-allowed' });
    }
    return match.handler({ req, res, params: match.params, query });
  };

  return (req, res) => {
    const fail = (err: unknown): void => {
      sendError(res, err, (e) => log.error(`${req.method} ${logTarget(req.url ?? '/')}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
      // Drain what the client still sends so the error reaches it instead of a reset.
      if (!req.complete) req.resume();
    };
    try {
      handle(req, res)?.catch(fail);
    } catch (err) {
      fail(err);
    }
  };
}

const noQuery = new URLSearchParams();

/** Path and query of the request target, without building a URL object on the hot path. */
function splitTarget(target: string): { pathname: string; query: URLSearchParams } {
  if (!target.startsWith('/')) {
    // Absolute form (`GET http://host/path`), as a proxy would send it.
    try {
      const url = new URL(target);
      return { pathname: url.pathname, query: url.searchParams };
    } catch {
      throw new OtaError('bad request target', { code: 'bad-request' });
    }
  }
  const q = target.indexOf('?');
  return q < 0 ? { pathname: target, query: noQuery } : { pathname: target.slice(0, q), query: new URLSearchParams(target.slice(q + 1)) };
}
