import type { IncomingHttpHeaders } from 'node:http';
import { OtaError } from '../../core/errors';
import { ddiAttribute } from '../../core/protocol/ddi';
import { arduinoFilesystemPart, arduinoUpdatePath } from '../../core/protocol/devicePaths';
import type { Release } from '../../core/protocol/management';
import { sendText } from '../http/respond';
import type { Router } from '../http/router';
import { contentDisposition } from '../http/contentDisposition';
import { sendFile } from '../http/sendFile';
import type { OtaService } from '../service';
import { releaseFile } from './artifactFile';

/**
 * Arduino HTTPUpdate (ESP8266 and ESP32 cores). The device id is its station MAC; the key,
 * channel and PID come from the query string (the sketch bakes them into its update URL), the
 * running version from `x-ESP*-version`. Answers 304 for "nothing to do", else 200 with the whole
 * image, Content-Length and x-MD5 (the cores neither resume nor accept chunked bodies).
 */
export function arduinoRoutes(router: Router, service: OtaService): void {
  const { catalog, sessions } = service;
  router.on('GET', arduinoUpdatePath, async ({ req, res, query }) => {
    const h = espHeaders(req.headers);
    if (!h) throw new OtaError('this URL is for Arduino HTTPUpdate clients (x-ESP8266-* or x-ESP32-* headers)', { code: 'forbidden' });
    const data: Record<string, string> = {};
    const q = (name: string) => query.get(name) ?? undefined;
    const key = q('key') ?? q('fw_key');
    if (key) data[ddiAttribute.fwKey] = key;
    const channel = q('channel');
    if (channel) data[ddiAttribute.channel] = channel;
    const pid = q('pid');
    if (pid) data[ddiAttribute.pid] = pid;
    if (h.version) data[ddiAttribute.version] = h.version;
    for (const f of ['chip-size', 'sketch-md5', 'sdk-version', 'free-space'] as const) if (h.fields[f]) data[`esp.${f}`] = h.fields[f];
    await catalog.seeDevice(h.deviceId, 'arduino', { mode: 'merge', data });
    sessions.touch(h.deviceId);
    await sessions.confirmVersion(h.deviceId, h.version);
    let refused: string | undefined;
    const offer = await sessions.offerFor(h.deviceId, (release, deployment) => {
      const misfit = arduinoMisfit(h, release, deployment.id);
      if (misfit?.failsSession) refused = misfit.reason;
      return misfit;
    });
    if (!offer && refused) {
      // Both cores abort on a body larger than the free space they sent; a 403 ends the attempt
      // at once (HTTP_UE_SERVER_FORBIDDEN) and the device's why-not says why.
      sendText(res, 403, `${refused}\n`);
      return;
    }
    if (!offer || (h.version !== undefined && h.version === offer.release.label)) {
      res.writeHead(304).end();
      return;
    }
    const headers = { 'x-MD5': offer.release.md5, 'x-version': offer.release.label };
    if (h.mode === 'version') {
      res.writeHead(200, { ...headers, 'Content-Length': 0 }).end();
      return;
    }
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    res.setHeader('Content-Disposition', contentDisposition(offer.release.filename));
    await sendFile(req, res, await releaseFile(service, offer.release), sessions.observe(offer.session));
  });
}

/**
 * Whether a release suits this request: a filesystem request (`mode: spiffs`) gets only a
 * release pushed as part `spiffs`, a sketch request never gets one, and a sketch must fit the
 * free sketch space the device reported (the cores check `len > ESP.getFreeSketchSpace()`).
 */
function arduinoMisfit(h: EspRequest, release: Release, deploymentId: string): { reason: string; failsSession: boolean } | undefined {
  const d = `deployment ${deploymentId}`;
  const header = `${h.prefix}mode`;
  if (h.mode === 'spiffs') {
    if (release.part === arduinoFilesystemPart) return undefined;
    return { reason: `device ${h.deviceId} asked for a filesystem image (${header}: spiffs); ${d} is release ${release.id} (part ${release.part}), an app image. Push the filesystem image with --part ${arduinoFilesystemPart}.`, failsSession: false };
  }
  if (release.part === arduinoFilesystemPart) {
    return { reason: `device ${h.deviceId} asked for a sketch (${header}: ${h.mode ?? 'sketch'}); ${d} is release ${release.id}, a filesystem image (part ${arduinoFilesystemPart}): the device fetches it with updateSpiffs().`, failsSession: false };
  }
  const free = h.fields['free-space'];
  const space = free !== undefined && /^\d+$/.test(free) ? Number(free) : undefined;
  if (space !== undefined && release.size > space) {
    return {
      reason: `release ${release.id} is ${release.size} bytes, more than the ${space} bytes of free sketch space device ${h.deviceId} reported (${h.prefix}free-space); ${d} cannot be installed there. Build a smaller image or use a partition table with larger app slots.`,
      failsSession: true,
    };
  }
  return undefined;
}

interface EspRequest {
  /** `x-esp8266-` or `x-esp32-`: how the device spells its headers. */
  prefix: string;
  deviceId: string;
  version: string | undefined;
  mode: string | undefined;
  fields: Record<string, string | undefined>;
}

function espHeaders(headers: IncomingHttpHeaders): EspRequest | undefined {
  for (const prefix of ['x-esp8266-', 'x-esp32-']) {
    const get = (name: string) => {
      const v = headers[prefix + name];
      return Array.isArray(v) ? v[0] : v;
    };
    const mac = get('sta-mac');
    if (!mac) continue;
    const fields: Record<string, string | undefined> = {};
    for (const f of ['chip-size', 'sketch-md5', 'sdk-version', 'free-space']) fields[f] = get(f);
    return { prefix: prefix.replace('x-esp', 'x-ESP'), deviceId: mac.toLowerCase(), version: get('version'), mode: get('mode'), fields };
  }
  return undefined;
}
