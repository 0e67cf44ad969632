import type { IncomingMessage, ServerResponse } from 'node:http';
import { OtaError } from '../../core/errors';
import { ddiAttribute } from '../../core/protocol/ddi';
import { plainFirmwarePath } from '../../core/protocol/devicePaths';
import type { Release } from '../../core/protocol/management';
import type { Router } from '../http/router';
import { sendFile } from '../http/sendFile';
import type { OtaService } from '../service';
import { manifestFile, releaseFile } from './artifactFile';

/**
 * The plain firmware URL for esp_https_ota and curl: `/fw/{release}/{file}`. HEAD and Range
 * (`bytes=N-` → 206) for esp_https_ota's resume, always a Content-Length. An optional query
 * `device`, `key`, `channel`, `pid`, `version` tracks the download as an update session under the
 * key/channel policy. `/fw/latest?device=…` is the one URL a firmware can bake in: 302 to the
 * release the policy offers the device, 304 when there is nothing to do (esp_https_ota follows
 * redirects; anything else is "no update").
 */
export function plainRoutes(router: Router, service: OtaService): void {
  const { catalog, sessions } = service;

  /** Records what the query says about the device; returns its id, if it gave one. */
  const report = async (query: URLSearchParams): Promise<string | undefined> => {
    const deviceId = query.get('device');
    if (!deviceId) return undefined;
    const data: Record<string, string> = {};
    for (const [q, attr] of [['key', ddiAttribute.fwKey], ['channel', ddiAttribute.channel], ['pid', ddiAttribute.pid], ['version', ddiAttribute.version]] as const) {
      const v = query.get(q);
      if (v) data[attr] = v;
    }
    await catalog.seeDevice(deviceId, 'plain', Object.keys(data).length > 0 ? { mode: 'merge', data } : undefined);
    sessions.touch(deviceId);
    await sessions.confirmVersion(deviceId, data[ddiAttribute.version]);
    return deviceId;
  };

  router.on(['GET', 'HEAD'], '/fw/latest', async ({ res, query }) => {
    const deviceId = await report(query);
    if (!deviceId) throw new OtaError('say which device asks', { code: 'bad-request', hint: 'use /fw/latest?device=ID&key=K&channel=C (and &version=V to skip what it runs)' });
    const offer = await sessions.offerFor(deviceId);
    if (!offer || offer.release.label === query.get('version')) {
      res.writeHead(304).end();
      return;
    }
    const location = `${plainFirmwarePath(offer.release.id, offer.release.filename)}?${query.toString()}`;
    res.writeHead(302, { Location: location, 'Content-Length': 0, 'Cache-Control': 'no-store' }).end();
  });

  router.on(['GET', 'HEAD'], '/fw/:release/:file', ({ req, res, params, query }) => {
    const release = catalog.release(params.release!);
    const manifest = params.file === release.signedManifest?.filename ? manifestFile(service, release) : undefined;
    // The signed manifest next to the image (`<filename>.manifest.json`), byte for byte as uploaded.
    if (manifest) return sendFile(req, res, manifest);
    if (params.file !== release.filename) throw new OtaError(`release ${release.id} has no file ${params.file}`, { code: 'not-found' });
    if (query.get('device')) return trackedDownload(req, res, release, query);
    // Nobody to track: a cached image answers without waiting on anything (the hot path of a
    // device or curl fetching the plain URL in 4 KiB ranges).
    const file = releaseFile(service, release);
    return file instanceof Promise ? file.then((f) => sendFile(req, res, f)) : sendFile(req, res, file);
  });

  /** A download that names its device: recorded, and counted against its update session. */
  const trackedDownload = async (req: IncomingMessage, res: ServerResponse, release: Release, query: URLSearchParams): Promise<void> => {
    const deviceId = (await report(query))!;
    const offer = sessions.forDownload(deviceId, release.id) ? undefined : await sessions.offerFor(deviceId);
    const session = sessions.forDownload(deviceId, release.id) ?? (offer?.release.id === release.id ? offer.session : undefined);
    const observer = session && req.method === 'GET' ? sessions.observe(session) : undefined;
    await sendFile(req, res, await releaseFile(service, release), observer);
  };
}
