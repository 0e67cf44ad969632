import type { IncomingMessage } from 'node:http';
import { OtaError } from '../../core/errors';
import type { DdiArtifact, DdiBase, DdiCancelAction, DdiConfigData, DdiDeploymentBase } from '../../core/protocol/ddi';
import { ddiAttribute, ddiManifestMetadata, ddiPaths, formatPollingSleep } from '../../core/protocol/ddi';
import type { RouteHandler, Router } from '../http/router';
import { httpError, readJson, sendJson, sendText } from '../http/respond';
import { sendFile } from '../http/sendFile';
import type { OtaService } from '../service';
import { deviceLimits } from '../deviceInput';
import { isActive } from '../sessions';
import { manifestFile, releaseFile } from './artifactFile';

const base = '/:tenant/controller/v1/:device';

/**
 * The hawkBit DDI subset, under the server's one tenant (another tenant's path is a 404: its
 * feedback must not reach this tenant's sessions). No per-device target token is kept: this is a
 * local development server (bind it to loopback, or put it behind TLS on a lab network). When the
 * server has a shared device token, app.ts checks it (GatewayToken, TargetToken, Basic or ?token=)
 * before any route here runs. app.ts has checked Host too, so links may use it.
 */
export function ddiRoutes(router: Router, service: OtaService, scheme: 'http' | 'https', tenant: string): void {
  const { catalog, sessions } = service;
  const origin = (req: IncomingMessage) => `${scheme}://${req.headers.host ?? 'localhost'}`;
  const ours = tenant.toLowerCase();
  const on = (methods: string | readonly string[], pattern: string, handler: RouteHandler): void => {
    router.on(methods, pattern, (r) => {
      if (r.params.tenant!.toLowerCase() !== ours) throw new OtaError(`no tenant ${r.params.tenant!.slice(0, 64)} on this server`, { code: 'not-found', hint: `this server's DDI tenant is ${tenant}` });
      return handler(r);
    });
  };

  on('GET', base, async ({ req, res, params }) => {
    const { device } = params as { device: string };
    const tenant = linkTenant(params.tenant!);
    const dev = await catalog.seeDevice(device, 'ddi');
    sessions.touch(device);
    const links: DdiBase['_links'] = {};
    // A cancel (of a cancelled or superseded action) is delivered before the next action.
    const offer = await sessions.offerFor(device);
    const cancel = sessions.pendingCancel(device);
    if (cancel) links.cancelAction = { href: origin(req) + ddiPaths.cancelAction(tenant, device, cancel.id) };
    else if (offer) links.deploymentBase = { href: `${origin(req)}${ddiPaths.deploymentBase(tenant, device, offer.session.id)}?c=${offer.release.sha256.slice(0, 12)}` };
    // Ask for attributes until the device has sent some, as hawkBit does. If they lack what the
    // policy needs (fw_key, channel), the device's why-not says so; asking again would not help a
    // client that reports other attributes (Zephyr PUTs only VIN) and makes it PUT on every poll.
    if (!dev.attributesReported) links.configData = { href: origin(req) + ddiPaths.configData(tenant, device) };
    const body: DdiBase = { config: { polling: { sleep: formatPollingSleep(service.ctx.settings.pollingSleepSec) } }, _links: links };
    sendJson(res, 200, body, { 'Content-Type': 'application/hal+json;charset=UTF-8' });
  });

  on('PUT', `${base}/configData`, async ({ req, res, params }) => {
    const body = (await readJson(req, deviceLimits.bodyBytes)) as DdiConfigData | null;
    if (!body || typeof body !== 'object' || typeof body.data !== 'object' || body.data === null || Array.isArray(body.data)) {
      throw httpError(400, 'configData needs {"data": {"fw_key": "...", "channel": "...", ...}}');
    }
    const mode = body.mode ?? 'merge';
    if (mode !== 'merge' && mode !== 'replace' && mode !== 'remove') throw httpError(400, `configData mode must be merge, replace or remove, not ${String(mode)}`);
    const data = body.data as Record<string, unknown>;
    await catalog.seeDevice(params.device!, 'ddi', { mode, data });
    sessions.touch(params.device!);
    const reported = data[ddiAttribute.version];
    const version = reported === undefined ? undefined : String(reported as string | number);
    if (version !== undefined && mode !== 'remove') await sessions.versionReported(params.device!, version);
    await sessions.explain(params.device!);
    res.writeHead(200, { 'Content-Length': 0 }).end();
  });

  on('GET', `${base}/deploymentBase/:action`, async ({ req, res, params }) => {
    const { device, action } = params as { device: string; action: string };
    const tenant = linkTenant(params.tenant!);
    await catalog.seeDevice(device, 'ddi');
    sessions.touch(device);
    const session = sessions.get(action);
    if (session.deviceId !== device) throw new OtaError(`no action ${action} for ${device}`, { code: 'not-found' });
    const deployment = catalog.deployment(session.deploymentId);
    const release = catalog.release(session.releaseId);
    const handling = deployment.type === 'forced' ? 'forced' : 'attempt';
    const artifact = origin(req) + ddiPaths.artifact(tenant, device, release.id, release.filename);
    const md5 = origin(req) + ddiPaths.md5sum(tenant, device, release.id, release.filename);
    // One artifact a chunk: Zephyr's parser takes at most one (HAWKBIT_DEP_MAX_CHUNK_ARTS) and
    // SWUpdate installs every artifact it is given. The signed manifest is named in the chunk
    // metadata instead, for the clients that check it (our simulator, a sketch of your own).
    const artifacts: DdiArtifact[] = [
      {
        filename: release.filename,
        hashes: { sha1: release.sha1, md5: release.md5, sha256: release.sha256 },
        size: release.size,
        _links: { download: { href: artifact }, 'download-http': { href: artifact }, md5sum: { href: md5 }, 'md5sum-http': { href: md5 } },
      },
    ];
    const signed = release.signedManifest;
    const metadata = signed
      ? [
          { key: ddiManifestMetadata.url, value: origin(req) + ddiPaths.artifact(tenant, device, release.id, signed.filename) },
          { key: ddiManifestMetadata.sha256, value: signed.sha256 },
        ]
      : undefined;
    const body: DdiDeploymentBase = {
      id: session.id,
      deployment: {
        download: handling,
        update: handling,
        chunks: [
          {
            part: release.part,
            version: release.label,
            name: `${release.pid}-${release.channel}`,
            artifacts,
            ...(metadata ? { metadata } : {}),
          },
        ],
      },
      actionHistory: { status: isActive(session) ? 'RUNNING' : session.state.toUpperCase(), messages: session.details.slice(-5) },
    };
    sendJson(res, 200, body, { 'Content-Type': 'application/hal+json;charset=UTF-8' });
  });

  on('POST', `${base}/deploymentBase/:action/feedback`, async ({ req, res, params }) => {
    catalog.noteContact(params.device!);
    await sessions.feedback(params.device!, params.action!, await readJson(req, deviceLimits.bodyBytes));
    res.writeHead(200, { 'Content-Length': 0 }).end();
  });

  on('GET', `${base}/cancelAction/:action`, ({ res, params }) => {
    catalog.noteContact(params.device!);
    const session = sessions.get(params.action!);
    if (session.deviceId !== params.device || session.state !== 'cancelled') throw new OtaError(`no cancel for action ${params.action}`, { code: 'not-found' });
    const body: DdiCancelAction = { id: session.id, cancelAction: { stopId: session.id } };
    sendJson(res, 200, body, { 'Content-Type': 'application/hal+json;charset=UTF-8' });
  });

  on('POST', `${base}/cancelAction/:action/feedback`, async ({ req, res, params }) => {
    await readJson(req, deviceLimits.bodyBytes);
    catalog.noteContact(params.device!);
    await sessions.acknowledgeCancel(params.device!, params.action!);
    res.writeHead(200, { 'Content-Length': 0 }).end();
  });

  on(['GET', 'HEAD'], `${base}/softwaremodules/:module/artifacts/:file`, async ({ req, res, params }) => {
    const { device, module, file } = params as { device: string; module: string; file: string };
    const release = catalog.release(module);
    await catalog.seeDevice(device, 'ddi');
    sessions.touch(device);
    if (file === `${release.filename}.MD5SUM`) {
      sendText(res, 200, `${release.md5}  ${release.filename}\n`);
      return;
    }
    const signed = release.signedManifest;
    if (signed && file === `${signed.filename}.MD5SUM`) {
      sendText(res, 200, `${signed.md5}  ${signed.filename}\n`);
      return;
    }
    if (signed && file === signed.filename) {
      // Not part of the update session: the image's bytes are what progress counts.
      await sendFile(req, res, manifestFile(service, release)!);
      return;
    }
    if (file !== release.filename) throw new OtaError(`release ${release.id} has no artifact ${file}`, { code: 'not-found' });
    const session = sessions.forDownload(device, release.id);
    await sendFile(req, res, await releaseFile(service, release), session && req.method === 'GET' ? sessions.observe(session) : undefined);
  });
}

/**
 * The tenant as written into links. hawkBit treats tenants case-insensitively and writes them
 * upper-case, and Zephyr's client polls `/default/...` but accepts only a download link containing
 * `/DEFAULT/controller/v1` (hawkbit.c, hawkbit_parse_deployment).
 */
function linkTenant(tenant: string): string {
  return tenant.toUpperCase();
}
