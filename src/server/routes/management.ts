import { OtaError } from '../../core/errors';
import type { DeploymentRequest } from '../../core/protocol/management';
import { managementPaths as p, uploadOffsetHeader } from '../../core/protocol/management';
import type { Router } from '../http/router';
import { httpError, readJson, sendJson } from '../http/respond';
import { pageOf, slicePage } from '../paging';
import type { OtaService } from '../service';
import { serveEvents } from './events';

/** The management API under /api/v1. The bearer token is checked before these run. */
export function managementRoutes(router: Router, service: OtaService): void {
  const { catalog, sessions, uploads, rollouts } = service;
  const model = service.ctx.model;

  router.on('GET', p.status, ({ res, query }) => sendJson(res, 200, service.status(pageOf(query))));
  router.on('GET', p.events, ({ req, res }) => serveEvents(req, res, service.ctx.events));

  router.on('GET', p.releases, ({ res }) => sendJson(res, 200, [...model.releases.values()]));
  router.on('GET', '/api/v1/releases/:id', ({ res, params }) => sendJson(res, 200, catalog.release(params.id!)));
  router.on('DELETE', '/api/v1/releases/:id', async ({ res, params }) => {
    await catalog.deleteRelease(params.id!);
    res.writeHead(204).end();
  });

  router.on('POST', p.uploads, async ({ req, res }) => {
    const state = await uploads.begin(await readJson(req));
    sendJson(res, 201, state, { Location: p.upload(state.id), [uploadOffsetHeader]: String(state.offset) });
  });
  router.on(['GET', 'HEAD'], '/api/v1/uploads/:id', async ({ req, res, params }) => {
    const state = await uploads.settledState(params.id!);
    if (req.method === 'HEAD') res.writeHead(200, { [uploadOffsetHeader]: String(state.offset), 'Content-Length': 0 }).end();
    else sendJson(res, 200, state, { [uploadOffsetHeader]: String(state.offset) });
  });
  router.on(['PUT', 'PATCH'], '/api/v1/uploads/:id', async ({ req, res, params }) => {
    const raw = req.headers[uploadOffsetHeader];
    const offset = Number(raw);
    if (typeof raw !== 'string' || !/^\d+$/.test(raw)) throw httpError(400, `send the chunk's position in an ${uploadOffsetHeader} header`);
    const current = await uploads.state(params.id!);
    const declared = req.headers['content-length'];
    if (declared !== undefined && offset + Number(declared) > current.size) {
      throw new OtaError(`this chunk would end at byte ${offset + Number(declared)}; the manifest declares ${current.size}`, { code: 'too-large' });
    }
    const state = await uploads.append(params.id!, offset, req);
    sendJson(res, 200, state, { [uploadOffsetHeader]: String(state.offset) });
  });
  router.on('POST', '/api/v1/uploads/:id/complete', async ({ res, params }) => {
    const release = await uploads.complete(params.id!);
    sendJson(res, 201, release, { Location: p.release(release.id) });
  });
  router.on('DELETE', '/api/v1/uploads/:id', async ({ res, params }) => {
    await uploads.abort(params.id!);
    res.writeHead(204).end();
  });

  router.on('GET', p.products, ({ res }) => sendJson(res, 200, model.productList()));
  const keysRoute = (replace: boolean) => async ({ req, res, params }: Parameters<Parameters<Router['on']>[2]>[0]) => {
    const body = (await readJson(req)) as { keys?: unknown; key?: unknown } | null;
    const keys = body && Array.isArray(body.keys) ? body.keys : body && typeof body.key === 'string' ? [body.key] : undefined;
    if (!keys) throw httpError(400, 'send {"keys": ["K1", ...]} (or {"key": "K1"})');
    sendJson(res, 200, { pid: params.pid!, keys: await catalog.bindKeys(params.pid!, keys as string[], replace) });
  };
  router.on('POST', '/api/v1/products/:pid/keys', keysRoute(false));
  router.on('PUT', '/api/v1/products/:pid/keys', keysRoute(true));

  router.on('GET', p.deployments, ({ res }) => sendJson(res, 200, [...model.deployments.values()]));
  router.on('POST', p.deployments, async ({ req, res }) => {
    const body = await readJson(req);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw httpError(400, 'a deployment must be a JSON object with at least "releaseId"');
    sendJson(res, 201, await catalog.createDeployment(body as DeploymentRequest));
  });
  router.on('POST', '/api/v1/deployments/:id/cancel', async ({ res, params }) => sendJson(res, 200, await sessions.cancelDeployment(params.id!)));

  router.on('GET', p.rollouts, ({ res }) => sendJson(res, 200, rollouts.list()));
  router.on('POST', p.rollouts, async ({ req, res }) => {
    const created = await rollouts.create(await readJson(req));
    sendJson(res, 201, created, { Location: p.rollout(created.id) });
  });
  router.on('GET', '/api/v1/rollouts/:id', ({ res, params }) => sendJson(res, 200, rollouts.get(params.id!)));
  router.on('DELETE', '/api/v1/rollouts/:id', async ({ res, params }) => {
    await rollouts.delete(params.id!);
    res.writeHead(204).end();
  });
  for (const action of ['start', 'pause', 'resume', 'approve', 'cancel'] as const) {
    router.on('POST', `/api/v1/rollouts/:id/${action}`, async ({ res, params }) => sendJson(res, 200, await rollouts[action](params.id!)));
  }

  router.on('GET', '/api/v1/deployments/:id', ({ res, params }) => sendJson(res, 200, catalog.deployment(params.id!)));
  // Paged (?limit=&offset=), with the whole count in X-Total-Count.
  router.on('GET', p.devices, ({ res, query }) => sendJson(res, 200, slicePage(model.devices.values(), pageOf(query)), { 'X-Total-Count': String(model.devices.size) }));
  router.on('GET', '/api/v1/devices/:id', ({ res, params }) => {
    const device = model.devices.get(params.id!);
    if (!device) throw new OtaError(`no device ${params.id}`, { code: 'not-found', hint: 'a device appears once it has polled or downloaded' });
    sendJson(res, 200, { ...device, sessions: model.sessionsOf(device.id) });
  });
  router.on('GET', p.sessions, ({ res, query }) => sendJson(res, 200, slicePage(model.sessions.values(), pageOf(query)), { 'X-Total-Count': String(model.sessions.size) }));
  router.on('GET', '/api/v1/sessions/:id', ({ res, params }) => sendJson(res, 200, sessions.get(params.id!)));
}
