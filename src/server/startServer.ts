import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { OtaError } from '../core/errors';
import type { Logger } from '../core/logger';
import { silentLogger } from '../core/logger';
import { createApp } from './app';
import { RequestGuard } from './http/requestGuard';
import type { ServerSettings } from './context';
import { defaultSettings } from './context';
import { OtaService } from './service';
import { DataDirLock } from './storage/dataDirLock';
import { ensureTls } from './tls/certificates';

export interface StartServerOptions {
  /** Where releases, the journal and TLS material live. */
  dataDir: string;
  /** 0 picks a free port. Default 8080. */
  port?: number;
  /** Default 127.0.0.1: devices on the network cannot reach it unless asked for. */
  host?: string;
  /** Bearer token for the management API; a random one when omitted (read it from the result). */
  token?: string;
  /** Serve HTTPS with a certificate from the local CA in `<dataDir>/tls`. */
  tls?: boolean;
  /** More names/IPs for the certificate (the host devices use to reach this machine). */
  tlsHosts?: string[];
  /** Serve HTTPS with this certificate and key (PEM) instead of one from the local CA. */
  certificate?: { certPem: string; keyPem: string };
  /** Names devices use for this machine besides its addresses and `localhost` (any other Host gets a 421). */
  publicHosts?: string[];
  /** The hawkBit DDI tenant devices use in their paths; default `DEFAULT` (compared case-insensitively, as hawkBit does). */
  tenant?: string;
  /** When set, device requests must carry it (hawkBit gateway token, Basic password or `?token=`). */
  deviceToken?: string;
  settings?: Partial<ServerSettings>;
  log?: Logger;
}

export interface RunningServer {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly token: string;
  /** PEM of the local CA when TLS is on. */
  readonly caCertPem: string | undefined;
  readonly service: OtaService;
  /**
   * Stops accepting, lets transfers in flight finish for up to `graceMs`, then cuts them and
   * closes the journal.
   */
  close(graceMs?: number): Promise<void>;
}

/** The OTA server as a library: the CLI's `ota serve`, the extension and the tests all use this. */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const log = options.log ?? silentLogger;
  const host = options.host ?? '127.0.0.1';
  const settings = resolveSettings(options.settings ?? {});
  if (options.settings?.pollingSleepSec === undefined) {
    // Poll well inside the offline window, so a device that is just waiting never looks gone.
    settings.pollingSleepSec = Math.max(0, Math.min(defaultSettings.pollingSleepSec, Math.floor(settings.offlineTimeoutMs / 3000)));
  }
  const token = options.token ?? randomBytes(24).toString('base64url');
  await mkdir(options.dataDir, { recursive: true });
  // Before anything reads or writes the folder: another server may be using it.
  const lock = await DataDirLock.acquire(options.dataDir, log);
  let service: OtaService | undefined;
  let server: http.Server | https.Server;
  let tls: { certPem: string; keyPem: string; caCertPem: string | undefined } | undefined;
  try {
    tls = options.certificate
      ? { ...options.certificate, caCertPem: undefined }
      : options.tls
        ? await ensureTls(join(options.dataDir, 'tls'), [host, ...wildcardAddresses(host), ...(options.tlsHosts ?? [])])
        : undefined;
    service = await OtaService.open(options.dataDir, settings, log, tls !== undefined);
    const guard = new RequestGuard(host, [...(options.tlsHosts ?? []), ...(options.publicHosts ?? [])]);
    const app = createApp(service, { token, scheme: tls ? 'https' : 'http', log, guard, tenant: options.tenant ?? 'DEFAULT', deviceToken: options.deviceToken });
    server = tls ? https.createServer({ cert: tls.certPem, key: tls.keyPem }, app) : http.createServer(app);
    // Slow devices (20 kbps) must not be cut by a limit on a whole request; a stalled one is cut
    // by the idle timeout instead: no byte either way for that long (Node then destroys the socket).
    server.requestTimeout = 0;
    server.headersTimeout = settings.idleTimeoutMs;
    server.timeout = settings.idleTimeoutMs;
    // An idle keep-alive connection is closed by that same idle timeout (as nginx closes one after
    // its keepalive_timeout, without a Keep-Alive header). A separate keep-alive timeout would make
    // Node replace the socket's timer twice per request (idle → keep-alive → idle): measurable on
    // devices fetching an image in 4 KiB ranges.
    server.keepAliveTimeout = 0;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 8080, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await service?.close();
    await lock.release();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  const url = `${tls ? 'https' : 'http'}://${urlHost}:${port}`;
  await lock.setAddress(port, url);
  const openService = service;

  let closing: Promise<void> | undefined;
  const close = (graceMs = 5000): Promise<void> =>
    (closing ??= (async () => {
      const closed = new Promise<void>((r) => server.close(() => r()));
      openService.ctx.events.close();
      // Keep-alive connections go idle as their last response ends: close them as they do.
      server.closeIdleConnections();
      const sweep = setInterval(() => server.closeIdleConnections(), 50);
      const timer = setTimeout(() => server.closeAllConnections(), graceMs);
      await closed;
      clearInterval(sweep);
      clearTimeout(timer);
      await openService.close();
      await lock.release();
    })());

  return { url, host, port, token, caCertPem: tls?.caCertPem, service: openService, close };
}

/** Listening on every interface: devices will use one of this machine's addresses, so certify them all. */
function wildcardAddresses(host: string): string[] {
  if (host !== '0.0.0.0' && host !== '::') return [];
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a !== undefined && !a.internal && (host === '::' || a.family === 'IPv4'))
    .map((a) => a!.address.replace(/%.*$/, ''));
}

/** Defaults for what is not given; a given value must be a sensible number (config typos end here). */
function resolveSettings(given: Partial<ServerSettings>): ServerSettings {
  const settings: ServerSettings = { ...defaultSettings };
  for (const key of Object.keys(defaultSettings) as (keyof ServerSettings)[]) {
    const value = given[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new OtaError(`server setting ${key} must be a number of at least 0, not ${String(value)}`, { hint: 'fix the timeouts of the local server in the workspace config or the command line' });
    }
    settings[key] = value;
  }
  return settings;
}
