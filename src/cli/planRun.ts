import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { CliContext } from './command';
import { listFlag, stringFlag } from './args';
import { hmacSecretFrom } from './hmacSecret';
import { passphraseFrom } from './passphrase';
import { providerFromFlags } from './providerFlags';
import { resolveTarget } from './pushFlow';
import { loadWorkspace, selectChannel } from './workspaceChannel';
import { OtaError } from '../core/errors';
import { reportsRoot } from '../core/plan/writeReport';
import { channelReleaseDir, listReleases } from '../core/release/releaseStore';
import { loadChannelSigningKey } from '../core/signing/channelKey';
import { readKeySource } from '../core/signing/keySource';
import { loadSigningKey } from '../core/signing/loadKey';
import { PlanFleet, parseFleetFault } from '../device/simulator/planFleet';
import type { DeviceBehaviour } from '../device/simulator/simDeviceTypes';
import { OtaProvider } from '../providers/ota/otaProvider';
import type { RunContext, RunProgress } from '../providers/plan/stressRun';
import { waitForDevicesOnline } from '../providers/plan/waitForOutcomes';

const behaviours: readonly DeviceBehaviour[] = ['plain', 'esp-idf', 'mcuboot'];

/**
 * What `ota stress` and `ota rollback` share: the workspace channel and its signing key, the
 * server, who to deploy to and wait for (--devices, or --simulate N devices started here).
 */
export async function planContext(ctx: CliContext, parameters: RunContext['parameters']): Promise<{ run: RunContext; fleet?: PlanFleet }> {
  const parsed = ctx.parsed;
  const loaded = await loadWorkspace(parsed, ctx.cwd);
  const { channel } = selectChannel(loaded, parsed);
  const server = await providerFromFlags(ctx, parsed);
  const target = resolveTarget(loaded, { channel: channel.name, pid: channel.pid });
  const passphrase = passphraseFrom(parsed, ctx.env);
  const keySpec = stringFlag(parsed, 'signing-key');
  const key = keySpec ? loadSigningKey(await readKeySource(keySpec, ctx.env, ctx.cwd), passphrase) : await loadChannelSigningKey(channel, loaded.folder, ctx.env, passphrase, ctx.log);
  if (!key) throw new OtaError(`channel ${channel.name} has no signing key, and every release manifest is signed`, { where: loaded.sharedFile, hint: 'add "signing" to the channel, or pass -k KEY', code: 'key-missing' });
  const releasesRoot = resolve(loaded.folder, stringFlag(parsed, 'releases') ?? join('.ota', 'releases'));
  const devices = listFlag(parsed, 'devices').flatMap((d) => d.split(',')).map((d) => d.trim()).filter(Boolean);
  const simulate = stringFlag(parsed, 'simulate');
  const faults = listFlag(parsed, 'fault').map(parseFleetFault);
  if (simulate !== undefined && devices.length) throw new OtaError('--devices and --simulate exclude each other', { code: 'usage', hint: 'deploy to real devices by id, or start N simulated ones' });
  if (faults.length && simulate === undefined) throw new OtaError('--fault needs --simulate N: faults are injected into simulated devices', { code: 'usage' });
  const behaviour = (stringFlag(parsed, 'behaviour') ?? 'plain') as DeviceBehaviour;
  if (!behaviours.includes(behaviour)) throw new OtaError(`--behaviour must be one of ${behaviours.join(', ')}`, { code: 'usage' });
  const hmacSecret = hmacSecretFrom(parsed, ctx.env);
  const run: RunContext = {
    channel,
    folder: loaded.folder,
    releasesRoot,
    reportsRoot: reportsRoot(loaded.folder),
    key,
    production: parsed.flags.get('production') === true,
    ...(hmacSecret ? { hmacSecret } : {}),
    provider: server.provider,
    boundKeys: target.boundKeys,
    ...(devices.length ? { devices } : {}),
    cycleTimeoutMs: seconds(stringFlag(parsed, 'cycle-timeout') ?? '600', 'cycle-timeout') * 1000,
    pollMs: 1000,
    parameters: { ...parameters, server: server.provider.name, ...(devices.length ? { devices } : {}), ...(simulate ? { simulate: Number(simulate), behaviour } : {}), ...(faults.length ? { faults: faults.map((f) => f.text) } : {}) },
    signal: ctx.signal,
    log: ctx.log,
  };
  if (simulate === undefined) return { run };
  const count = Number(simulate);
  if (!/^\d+$/.test(simulate) || count < 1 || count > 10_000) throw new OtaError(`--simulate '${simulate}' must be a whole number from 1 to 10000`, { code: 'usage' });
  if (!(server.provider instanceof OtaProvider)) throw new OtaError(`--simulate needs an OTA Workbench server; ${server.provider.name} is ${server.provider.kind}`, { code: 'usage', hint: 'run simulated devices against hawkBit with its own DDI URL, and pass --devices' });
  const latest = (await listReleases(channelReleaseDir(releasesRoot, channel.pid, channel.name))).at(-1);
  if (!latest) throw new OtaError(`channel ${channel.name} has no release yet`, { hint: `create one first: ota release create --channel ${channel.name}`, code: 'release-missing' });
  const fleet = await PlanFleet.start({
    count,
    server: new URL(server.provider.client.baseUrl).origin,
    ...(server.provider.client.trustedCa ? { caPem: server.provider.client.trustedCa } : {}),
    pid: channel.pid,
    fwKey: channel.firmwareKey,
    channel: channel.name,
    factoryImage: await readFile(latest.artifactPath),
    behaviour,
    faults,
    pollIntervalMs: seconds(stringFlag(parsed, 'poll') ?? '1', 'poll') * 1000,
  });
  try {
    ctx.stderr.write(`info: ${count} simulated devices (${behaviour}) running release ${latest.manifest.label}; waiting for them to report\n`);
    await waitForDevicesOnline(server.provider, fleet.ids, { timeoutMs: 30_000 + count * 100, signal: ctx.signal });
  } catch (err) {
    await fleet.stop();
    throw err;
  }
  return { run: { ...run, waitFor: fleet.ids }, fleet };
}

/** A progress line on stderr: rewritten in place on a terminal, one line per change otherwise. */
export function progressPrinter(ctx: CliContext, json: boolean): (p: RunProgress) => void {
  let last = '';
  const tty = (ctx.stderr as NodeJS.WriteStream).isTTY === true;
  return (p) => {
    if (json) return;
    const line = `[${p.cycle}/${p.cycles}] ${p.message}`;
    if (line === last) return;
    last = line;
    ctx.stderr.write(tty ? `\r\x1b[K${line}` : `${line}\n`);
  };
}

function seconds(text: string, name: string): number {
  const n = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || n <= 0) throw new OtaError(`--${name} '${text}' must be a positive number of seconds`, { code: 'usage' });
  return n;
}
