import { OtaError } from '../../core/errors';
import { ddiAttribute } from '../../core/protocol/ddi';
import type { Router } from '../http/router';
import { sendFile } from '../http/sendFile';
import type { OtaService } from '../service';
import { releaseFile } from './artifactFile';

/**
 * A plain firmware URL. HEAD and Range (`bytes=N-` → 206) for esp_https_ota's resume, always a
 * Content-Length. Optional query `device`, `key`, `channel`, `pid`, `version` let the server
 * track the download as an update session under the same key/channel policy.
 */
export function plainRoutes(router: Router, service: OtaService): void {
  const { catalog, sessions } = service;
  router.on(['GET', 'HEAD'], '/fw/:release/:file', async ({ req, res, params, query }) => {
    const release = catalog.release(params.release!);
    if (params.file !== release.filename) throw new OtaError(`release ${release.id} has no file ${params.file}`, { code: 'not-found' });
    const deviceId = query.get('device');
    let observer;
    if (deviceId) {
      const data: Record<string, string> = {};
      for (const [q, attr] of [['key', ddiAttribute.fwKey], ['channel', ddiAttribute.channel], ['pid', ddiAttribute.pid], ['version', ddiAttribute.version]] as const) {
        const v = query.get(q);
        if (v) data[attr] = v;
      }
      await catalog.seeDevice(deviceId, 'plain', Object.keys(data).length > 0 ? { mode: 'merge', data } : undefined);
      sessions.touch(deviceId);
      await sessions.confirmVersion(deviceId, data[ddiAttribute.version]);
      const offer = sessions.forDownload(deviceId, release.id) ? undefined : await sessions.offerFor(deviceId);
      const session = sessions.forDownload(deviceId, release.id) ?? (offer?.release.id === release.id ? offer.session : undefined);
      if (session && req.method === 'GET') observer = sessions.observe(session);
    }
    await sendFile(req, res, await releaseFile(service, release), observer);
  });
}
