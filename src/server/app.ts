import type { IncomingMessage, ServerResponse } from 'node:http';
import { OtaError } from '../core/errors';
import type { Logger } from '../core/logger';
import { bearerMatches, deviceTokenMatches } from './http/auth';
import { logTarget } from './http/logTarget';
import type { RequestGuard } from './http/requestGuard';
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
export interface AppOptions {
  token: string;
  scheme: 'http' | 'https';
  log: Logger;
  guard: RequestGuard;
  /** The DDI tenant in device paths (others are a 404). */
  tenant: string;
  deviceToken?: string | undefined;
}

export function createApp(service: OtaService, options: AppOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { token, scheme, log, guard, deviceToken } = options;
  const management = new Router();
  managementRoutes(management, service);
  const devices = new Router();
  plainRoutes(devices, service);
  arduinoRoutes(devices, service);
  ddiRoutes(devices, service, scheme, options.tenant);

  /** Routes the request; a promise only when the answer is still on its way (a sync answer stays promise-free). */
  const handle = (req: IncomingMessage, res: ServerResponse): Promise<void> | void => {
    guard.check(req);
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
      if (clientWentAway(req, err)) {
        // Devices drop off all the time (the seed's resume case): one line, not a stack at error level.
        log.debug(`${req.method} ${logTarget(req.url ?? '/')}: the client went away (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
        res.destroy();
        return;
      }
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

const abortCodes = new Set(['ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE', 'ERR_STREAM_DESTROYED']);

/** The request failed because its client hung up or stalled (reading its body, or writing to it), not because of us. */
function clientWentAway(req: IncomingMessage, err: unknown): boolean {
  if (err instanceof OtaError) return false;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return (code !== undefined && abortCodes.has(code)) || (err instanceof Error && err.message === 'aborted') || req.socket.destroyed;
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
