import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { CommandRun } from '../command';
import { stringFlag } from '../args';
import { usageError } from '../cliOutput';
import { OtaError } from '../../core/errors';
import { startServer } from '../../server/startServer';
import { isLoopback } from '../../core/net/loopback';


export const defaultDataDir = () => join(homedir(), '.ota-workbench', 'server');

export const serveCommand: CommandRun = async (ctx) => {
  const parsed = ctx.parsed;
  if (parsed.positionals.length) return usageError(ctx, `unexpected argument '${parsed.positionals[0]}'`);
  const numbers: Record<string, number | undefined> = {};
  for (const name of ['port', 'offline-timeout', 'install-timeout', 'min-bandwidth', 'max-devices', 'new-devices-per-minute', 'idle-timeout', 'max-rollouts', 'max-rollout-groups']) {
    const text = stringFlag(parsed, name);
    if (text === undefined) continue;
    const n = Number(text);
    if (!/^\d+(\.\d+)?$/.test(text) || (name === 'port' && (!Number.isInteger(n) || n > 65535))) return usageError(ctx, `--${name} '${text}' is not a valid number`);
    numbers[name] = n;
  }
  const host = stringFlag(parsed, 'host') ?? '127.0.0.1';
  const tenant = stringFlag(parsed, 'tenant');
  const dataDir = resolve(ctx.cwd, stringFlag(parsed, 'data') ?? defaultDataDir());
  const tokenFile = resolve(ctx.cwd, stringFlag(parsed, 'token-file') ?? join(dataDir, 'token'));
  const token = await loadOrCreateToken(tokenFile);
  const deviceTokenFile = stringFlag(parsed, 'device-token-file');
  const deviceToken = deviceTokenFile ? await loadOrCreateToken(resolve(ctx.cwd, deviceTokenFile)) : undefined;
  if (!isLoopback(host)) {
    ctx.log.warn(
      `listening on ${host}: devices (and anyone else) on the network can reach this server; the management API is protected by the token, ` +
        (deviceToken ? 'the device APIs by the device token' : 'the device APIs are open (--device-token-file closes them)'),
    );
  }
  const server = await startServer({
    dataDir,
    port: numbers.port ?? 8080,
    host,
    token,
    tls: parsed.flags.get('tls') === true,
    ...(deviceToken ? { deviceToken } : {}),
    tlsHosts: commaList(stringFlag(parsed, 'tls-host')),
    publicHosts: commaList(stringFlag(parsed, 'public-host')),
    ...(tenant ? { tenant } : {}),
    settings: {
      ...(numbers['offline-timeout'] !== undefined ? { offlineTimeoutMs: numbers['offline-timeout'] * 1000 } : {}),
      ...(numbers['install-timeout'] !== undefined ? { installTimeoutMs: numbers['install-timeout'] * 1000 } : {}),
      ...(numbers['min-bandwidth'] !== undefined ? { minBandwidthBps: numbers['min-bandwidth'] * 1000 } : {}),
      ...(numbers['max-devices'] !== undefined ? { maxDevices: numbers['max-devices'] } : {}),
      ...(numbers['new-devices-per-minute'] !== undefined ? { newDevicesPerMinute: numbers['new-devices-per-minute'] } : {}),
      ...(numbers['idle-timeout'] !== undefined ? { idleTimeoutMs: numbers['idle-timeout'] * 1000 } : {}),
      ...(numbers['max-rollouts'] !== undefined ? { maxRollouts: numbers['max-rollouts'] } : {}),
      ...(numbers['max-rollout-groups'] !== undefined ? { maxRolloutGroups: numbers['max-rollout-groups'] } : {}),
    },
    log: ctx.log,
  }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'EADDRINUSE') throw new OtaError(`port ${numbers.port ?? 8080} on ${host} is in use`, { hint: 'pick another with --port (0 picks a free one)', cause: err });
    throw err;
  });
  ctx.stdout.write(`OTA server listening on ${server.url}\n`);
  ctx.stdout.write(`  data: ${dataDir}\n  management token: ${tokenFile} (export OTA_SERVER_TOKEN=$(cat ${tokenFile}))\n`);
  if (server.caCertPem) ctx.stdout.write(`  TLS CA: ${join(dataDir, 'tls', 'ca.pem')} (ota ca --data ${dataDir} --format c for firmware)\n`);
  ctx.stdout.write(`  hawkBit DDI: ${server.url}/${tenant ?? 'DEFAULT'}/controller/v1/<device>\n  Arduino: ${server.url}/arduino/update?pid=P&key=K&channel=C\n`);
  await new Promise<void>((r) => (ctx.signal.aborted ? r() : ctx.signal.addEventListener('abort', () => r(), { once: true })));
  ctx.stdout.write('shutting down: letting transfers finish for up to 5 s\n');
  await server.close(5000);
  return 0;
};

function commaList(text: string | undefined): string[] {
  return (text ?? '').split(',').map((h) => h.trim()).filter(Boolean);
}

/** The token file is created with a random token on first use, readable only by its owner. */
async function loadOrCreateToken(file: string): Promise<string> {
  try {
    const token = (await readFile(file, 'utf8')).trim();
    if (token) return token;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const token = randomBytes(24).toString('base64url');
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  return token;
}
