import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Renderer } from './render';
import type { RouteContext } from './routes';
import { advanceRollout, route } from './routes';
import type { Generation, TargetRow } from './state';
import { DoubleState } from './state';
import { DoubleError } from './validate';

/**
 * A strict stand-in for an Eclipse hawkBit Management API (`/rest/v1`), written from
 * /work/shared/reference/hawkbit-mgmt-api.md because hawkBit itself (a JVM server) cannot run
 * here. It validates every request as the reference says and answers with the documented shapes
 * and status codes of either API generation (≤0.9.0 `legacy`, ≥0.10.0 `current`). A real socket
 * on 127.0.0.1; devices are played by `report()` (hawkBit's DDI side is our server's business).
 */
export interface DoubleUser {
  password: string;
  /** hawkBit permission names; every permission when absent. */
  permissions?: string[];
}

/** A planned misbehaviour: answer `status` (with Retry-After) to the next `times` matching requests. */
export interface DoubleFault {
  method: string;
  path: RegExp;
  status: number;
  retryAfter?: string;
  times: number;
}

export interface RequestRecord {
  method: string;
  path: string;
  query: string;
  status: number;
  authorization: string | undefined;
  body: string;
}

export class HawkbitDouble {
  readonly state = new DoubleState();
  readonly requests: RequestRecord[] = [];
  readonly faults: DoubleFault[] = [];
  /** Called for each request as it arrives (tests wait on these instead of sleeping). */
  onRequest: ((r: RequestRecord) => void) | undefined;
  /** Artifact uploads whose connection is cut after about half the body (a connection reset). */
  resetUploads = 0;
  private readonly ctx: RouteContext;
  private server: http.Server | undefined;

  constructor(
    readonly generation: Generation,
    private readonly users: Record<string, DoubleUser> = { admin: { password: 'admin' } },
  ) {
    this.ctx = { state: this.state, render: new Renderer(generation, this.state, () => this.url), generation, artifactQuota: 50 };
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    return address ? `http://127.0.0.1:${address.port}` : '';
  }

  set artifactQuota(n: number) {
    this.ctx.artifactQuota = n;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** A device that has polled (it exists as a target) and reported these configData attributes. */
  addTarget(controllerId: string, attributes: Record<string, string> = {}): TargetRow {
    const row: TargetRow = { controllerId, name: controllerId, attributes: { ...attributes }, lastRequestAt: Date.now(), audit: this.state.audit('CONTROLLER_PLUG_AND_PLAY') };
    this.state.targets.set(controllerId, row);
    return row;
  }

  /** A device's feedback on its action (`detail` ∈ §2.7's values), as DDI would record it. */
  report(controllerId: string, detail: string, message: string): void {
    const action = [...this.state.actions.values()].filter((a) => a.target === controllerId).sort((a, b) => b.id - a.id)[0];
    if (!action) throw new Error(`no action for ${controllerId}`);
    action.detail = detail;
    action.audit.lastModifiedAt = Date.now();
    action.history.push({ id: this.state.id(), type: detail, messages: [message], reportedAt: Date.now() });
    const target = this.state.target(controllerId)!;
    target.lastRequestAt = Date.now();
    if (detail === 'finished') target.installedDs = action.ds;
    if (action.rollout !== undefined) advanceRollout(this.ctx, this.state.rollouts.get(action.rollout)!);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://double');
    const record: RequestRecord = { method: req.method ?? '', path: url.pathname, query: url.search, status: 0, authorization: req.headers.authorization, body: '' };
    this.requests.push(record);
    this.onRequest?.(record);
    const send = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      const text = body === undefined ? '' : JSON.stringify(body);
      // §1 Media types: application/json when asked for, HAL otherwise.
      const type = req.headers.accept?.includes('application/json') ? 'application/json' : 'application/hal+json';
      res.writeHead(status, { ...(text ? { 'content-type': type, 'content-length': String(Buffer.byteLength(text)) } : { 'content-length': '0' }), ...headers });
      res.end(text);
    };
    const isUpload = req.method === 'POST' && /^\/rest\/v1\/softwaremodules\/\d+\/artifacts$/.test(url.pathname);
    if (isUpload && this.resetUploads > 0) {
      this.resetUploads--;
      const half = Number(req.headers['content-length'] ?? 0) / 2;
      let got = 0;
      req.on('data', (c: Buffer) => {
        got += c.length;
        if (got >= half) req.socket.destroy();
      });
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req as AsyncIterable<Buffer>) chunks.push(c);
    const body = Buffer.concat(chunks);
    record.body = isUpload ? `<multipart ${body.length} bytes>` : body.toString('utf8');
    // §1 Auth: HTTP Basic; 401 carries WWW-Authenticate and a Spring error map, no ExceptionInfo.
    const user = this.authenticate(req.headers.authorization);
    if (!user) return send(401, { timestamp: new Date().toISOString(), status: 401, error: 'Unauthorized', path: url.pathname }, { 'www-authenticate': 'Basic realm="hawkBit"' });
    if (!url.pathname.startsWith('/rest/v1/')) return send(404, { exceptionClass: 'NoResourceFoundException', errorCode: undefined, message: 'Not Found' });
    const fault = this.faults.find((f) => f.times > 0 && f.method === req.method && f.path.test(url.pathname));
    if (fault) {
      fault.times--;
      return send(fault.status, fault.status === 429 ? { errorCode: 'hawkbit.server.error.tooManyRequests', message: 'Too many requests' } : undefined, fault.retryAfter ? { 'retry-after': fault.retryAfter } : {});
    }
    const path = url.pathname.slice('/rest/v1/'.length).split('/').filter(Boolean);
    const needed = permission(req.method ?? 'GET', path);
    const granted = this.users[user]!.permissions;
    if (granted && needed && !granted.includes(needed)) {
      return send(403, { exceptionClass: 'org.eclipse.hawkbit.repository.exception.InsufficientPermissionException', errorCode: 'hawkbit.server.error.insufficientPermission', message: 'Insufficient Permission' });
    }
    if ((req.headers['content-type'] ?? '').startsWith('application/json') === false && body.length && !isUpload) {
      return send(415, { message: `Content-Type ${req.headers['content-type'] ?? '(none)'} is not supported` });
    }
    try {
      const reply = route(this.ctx, { method: req.method ?? 'GET', path, query: url.searchParams, contentType: req.headers['content-type'], body, user });
      send(reply.status, reply.body);
    } catch (err) {
      if (!(err instanceof DoubleError)) {
        send(500, { message: String(err) });
        return;
      }
      send(err.status, { exceptionClass: err.exceptionClass, ...(err.errorCode ? { errorCode: err.errorCode } : {}), message: err.message });
    }
  }

  private authenticate(header: string | undefined): string | undefined {
    const m = /^Basic (.+)$/.exec(header ?? '');
    if (!m) return undefined;
    const text = Buffer.from(m[1]!, 'base64').toString('utf8');
    const colon = text.indexOf(':');
    const [name, password] = [text.slice(0, colon), text.slice(colon + 1)];
    return this.users[name]?.password === password ? name : undefined;
  }
}

/** The double's own table of hawkBit permissions per request (SpPermission names). */
function permission(method: string, path: string[]): string | undefined {
  const [a, , c] = path;
  if (a === 'userinfo') return undefined;
  if (a === 'distributionsets' && c === 'assignedTargets') return 'UPDATE_TARGET';
  if (a === 'targets') return method === 'GET' ? 'READ_TARGET' : method === 'POST' && path.length === 1 ? 'CREATE_TARGET' : 'UPDATE_TARGET';
  if (a === 'rollouts') return method === 'GET' ? 'READ_ROLLOUT' : path.length === 1 ? 'CREATE_ROLLOUT' : 'HANDLE_ROLLOUT';
  return method === 'GET' ? 'READ_REPOSITORY' : method === 'POST' ? 'CREATE_REPOSITORY' : 'UPDATE_REPOSITORY';
}
