import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { requireWorkspaceConfig } from '../../core/config/loader';
import type { Channel, OtaConfig, Server } from '../../core/config/model';
import { resolveInFolder } from '../../core/config/paths';
import { OtaError } from '../../core/errors';
import { reportsRoot } from '../../core/plan/writeReport';
import { channelReleaseDir, listReleases } from '../../core/release/releaseStore';
import { readKeySource } from '../../core/signing/keySource';
import type { SigningKey } from '../../core/signing/loadKey';
import { PlanFleet, parseFleetFault } from '../../device/simulator/planFleet';
import { OtaProvider } from '../../providers/ota/otaProvider';
import type { RunContext } from '../../providers/plan/stressRun';
import { waitForDevicesOnline } from '../../providers/plan/waitForOutcomes';
import type { PushProvider } from '../../providers/provider';
import { targetOf } from '../commands/commandTarget';
import type { ExtensionServices } from '../context';
import { loadPem, pickSigningKey } from '../firmware/signingKeyStore';
import { serverConnector } from '../serverConnector';

/** Folder, channel, server and key of a stress or rollback run, from a tree row or asked in steps. */
export interface PlanSetup {
  folder: string;
  config: OtaConfig;
  channel: Channel;
  server: Server;
  provider: PushProvider;
  key: SigningKey;
  boundKeys: string[];
}

async function step<T>(items: (vscode.QuickPickItem & { value: T })[], title: string, placeHolder: string): Promise<T | undefined> {
  if (items.length === 1) return items[0]!.value;
  return (await vscode.window.showQuickPick(items, { title, placeHolder }))?.value;
}

export async function choosePlanSetup(services: ExtensionServices, arg: unknown, title: string): Promise<PlanSetup | undefined> {
  const target = targetOf(arg);
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  const folder = target?.folder.fsPath ?? (folders.length <= 1 ? folders[0]?.uri.fsPath : (await vscode.window.showWorkspaceFolderPick({ placeHolder: vscode.l10n.t('Workspace folder with the OTA config') }))?.uri.fsPath);
  if (!folder) {
    if (!folders.length) throw new OtaError(vscode.l10n.t('open a folder with .vscode/ota.json first'), { code: 'no-config' });
    return undefined;
  }
  const loaded = await requireWorkspaceConfig(folder);
  const config = loaded.config;
  const channel =
    config.channels.find((c) => c.name === target?.channel) ??
    (await step(config.channels.map((c) => ({ label: c.name, description: vscode.l10n.t('pid {0}, {1}', c.pid, c.format), value: c })), vscode.l10n.t('{0} (1/3): channel', title), vscode.l10n.t('Channel')));
  if (!channel) return undefined;
  const server =
    config.servers.find((s) => s.name === target?.server) ??
    (await step(config.servers.map((s) => ({ label: s.name, description: s.type === 'local' ? vscode.l10n.t('local {0}:{1}', s.host, s.port) : `${s.type} ${s.url}`, value: s })), vscode.l10n.t('{0} (2/3): server', title), vscode.l10n.t('Server')));
  if (!server) {
    if (!config.servers.length) throw new OtaError(vscode.l10n.t('the OTA config names no server'), { where: loaded.sharedFile, hint: vscode.l10n.t('add a servers[] entry (e.g. the local one) to .vscode/ota.json') });
    return undefined;
  }
  const provider = await serverConnector(services.secrets)(loaded, server);
  const key = await channelKey(services, channel, folder);
  if (!key) return undefined;
  const bound = config.products.find((p) => p.pid === channel.pid)?.firmwareKeys ?? [];
  return { folder, config, channel, server, provider, key, boundKeys: [...new Set([channel.firmwareKey, ...bound])] };
}

async function channelKey(services: ExtensionServices, channel: Channel, folder: string): Promise<SigningKey | undefined> {
  const signing = channel.signing;
  if (signing?.keyRef) return loadPem(signing.keyRef.text, await services.secrets.resolve(signing.keyRef, `channel ${channel.name} signing.key`));
  if (signing) return loadPem(signing.key, (await readKeySource(resolveInFolder(folder, signing.key), process.env, folder)).pem);
  return pickSigningKey(services);
}

/** Who to deploy to and wait for: the server's matching devices, or simulated ones started here. */
export type FleetChoice = { kind: 'server' } | { kind: 'simulate'; count: number; faults: string[] };

export async function chooseFleet(title: string, provider: PushProvider): Promise<FleetChoice | undefined> {
  const items: (vscode.QuickPickItem & { value: 'server' | 'simulate' })[] = [
    { label: vscode.l10n.t('Devices on the server'), detail: vscode.l10n.t('every device that reports the channel, its PID and a bound key'), value: 'server' },
  ];
  if (provider instanceof OtaProvider) items.push({ label: vscode.l10n.t('Simulated devices'), detail: vscode.l10n.t('started in VS Code, running the channel\'s latest release; faults on demand'), value: 'simulate' });
  const kind = await step(items, vscode.l10n.t('{0} (3/3): devices', title), vscode.l10n.t('Devices'));
  if (kind !== 'simulate') return kind ? { kind } : undefined;
  const count = await vscode.window.showInputBox({ title, prompt: vscode.l10n.t('How many simulated devices?'), value: '10', validateInput: (v) => (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 1000 ? undefined : vscode.l10n.t('a whole number from 1 to 1000')) });
  if (!count) return undefined;
  const faults = await vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('Faults, separated by spaces (optional): DEVICES=FAULT, e.g. 1-2=drop:5s@50% 3=drop:90s@50% 4=bandwidth:20kbps'),
    value: '',
    validateInput: (v) => {
      try {
        v.split(/\s+/).filter(Boolean).forEach(parseFleetFault);
        return undefined;
      } catch (err) {
        return err instanceof Error ? err.message : String(err);
      }
    },
  });
  if (faults === undefined) return undefined;
  return { kind: 'simulate', count: Number(count), faults: faults.split(/\s+/).filter(Boolean) };
}

/** The run context for the core runners; with simulated devices, starts them and waits until they have reported. */
export async function planRunContext(services: ExtensionServices, setup: PlanSetup, fleet: FleetChoice, parameters: RunContext['parameters'], signal: AbortSignal): Promise<{ run: RunContext; sims?: PlanFleet }> {
  const releasesRoot = join(setup.folder, '.ota', 'releases');
  const run: RunContext = {
    channel: setup.channel,
    folder: setup.folder,
    releasesRoot,
    reportsRoot: reportsRoot(setup.folder),
    key: setup.key,
    production: false,
    provider: setup.provider,
    boundKeys: setup.boundKeys,
    cycleTimeoutMs: 600_000,
    pollMs: 1000,
    parameters: { ...parameters, server: setup.server.name, ...(fleet.kind === 'simulate' ? { simulate: fleet.count, ...(fleet.faults.length ? { faults: fleet.faults } : {}) } : {}) },
    signal,
    log: services.log,
  };
  if (fleet.kind === 'server') return { run };
  if (!(setup.provider instanceof OtaProvider)) throw new OtaError(vscode.l10n.t('simulated devices need an OTA Workbench server'));
  const latest = (await listReleases(channelReleaseDir(releasesRoot, setup.channel.pid, setup.channel.name))).at(-1);
  if (!latest) throw new OtaError(vscode.l10n.t('channel {0} has no release yet', setup.channel.name), { hint: vscode.l10n.t('create one first ("OTA: Create Release…")') });
  const sims = await PlanFleet.start({
    count: fleet.count,
    server: new URL(setup.provider.client.baseUrl).origin,
    ...(setup.provider.client.trustedCa ? { caPem: setup.provider.client.trustedCa } : {}),
    pid: setup.channel.pid,
    fwKey: setup.channel.firmwareKey,
    channel: setup.channel.name,
    factoryImage: await readFile(latest.artifactPath),
    behaviour: 'plain',
    faults: fleet.faults.map(parseFleetFault),
    pollIntervalMs: 1000,
  });
  try {
    await waitForDevicesOnline(setup.provider, sims.ids, { timeoutMs: 30_000 + fleet.count * 100, signal });
  } catch (err) {
    await sims.stop();
    throw err;
  }
  return { run: { ...run, waitFor: sims.ids }, sims };
}
