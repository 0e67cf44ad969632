import * as vscode from 'vscode';
import type { Server } from '../../core/config/model';
import { OtaError } from '../../core/errors';
import type { Device, Release } from '../../core/protocol/management';
import type { DeployResult, DeployType, PushProvider } from '../../providers/provider';
import type { ExtensionServices } from '../context';
import { withCancellableProgress } from '../firmware/cancellableProgress';
import { serverConnector } from '../serverConnector';
import { targetOf } from './commandTarget';
import { pickServer, pickWorkspace } from './pickTarget';
import type { Workspace } from './pickTarget';
import { reportFailure } from './reportFailure';
import { StepFlow } from './steps';

export interface DeployOutcome {
  server: string;
  release: Release;
  devices: string[] | 'all matching';
  type: DeployType;
  result: DeployResult;
}

/** Devices that report the release's PID and channel and a key bound to the PID (the server's own rule). */
function matches(device: Device, release: Release, bound: readonly string[]): boolean {
  const a = device.attributes;
  return a.pid === release.pid && a.channel === release.channel && a.fw_key !== undefined && bound.includes(a.fw_key);
}

/**
 * OTA: Deploy Release — server → a release already on it → every matching device or the ones named
 * → soft / forced (/ download only on hawkBit), through the server's provider. A device row's
 * target skips the device step; a server row's skips the server step.
 */
export async function deployRelease(services: ExtensionServices, arg?: unknown): Promise<DeployOutcome | undefined> {
  const target = targetOf(arg);
  const flow = new StepFlow(vscode.l10n.t('OTA: Deploy Release'), 5);
  let workspace: Workspace | undefined;
  let server: Server | undefined;
  try {
    workspace = await pickWorkspace(flow, target);
    if (!workspace) return undefined;
    server = await pickServer(flow, workspace, target, vscode.l10n.t('Server whose release to deploy'));
    if (!server) return undefined;
    const provider = await serverConnector(services.secrets)(workspace, server);
    const status = await withCancellableProgress(vscode.l10n.t('Asking {0} for its releases and devices', server.name), (signal) => provider.status(signal));
    if (status.releases.length === 0) {
      throw new OtaError(vscode.l10n.t('{0} has no release yet', server.name), { hint: vscode.l10n.t('Push one first ("OTA: Push Release…").') });
    }
    const channelFilter = target?.channel;
    const releases = [...status.releases].filter((r) => channelFilter === undefined || r.channel === channelFilter).reverse();
    const release = (
      await flow.pick(
        releases.map((r) => ({ label: r.label, description: `${r.channel} · ${r.pid} · ${r.fwKey}`, detail: vscode.l10n.t('{0}, {1} bytes, {2}', r.filename, r.size, r.createdAt), release: r })),
        vscode.l10n.t('Release on {0} to deploy', server.name),
      )
    )?.release;
    if (!release) return undefined;
    const bound = [release.fwKey, ...(workspace.config.products.find((p) => p.pid === release.pid)?.firmwareKeys ?? []), ...(status.products.find((p) => p.pid === release.pid)?.keys ?? [])];
    let devices: string[] | 'all matching';
    if (target?.deviceId) {
      flow.skip();
      devices = [target.deviceId];
    } else {
      const matching = status.devices.filter((d) => matches(d, release, bound));
      const all = { label: vscode.l10n.t('Every matching device'), description: vscode.l10n.t('{0} known now; devices that report the channel later get it too', matching.length), devices: 'all matching' as const };
      const named = { label: vscode.l10n.t('Choose devices…'), description: vscode.l10n.t('{0} known device(s) match', matching.length), devices: 'choose' as const };
      const picked = await flow.pick(matching.length ? [all, named] : [all], vscode.l10n.t('Which devices get {0}?', release.label));
      if (!picked) return undefined;
      if (picked.devices === 'choose') {
        flow.total += 1;
        const chosen = await flow.pickMany(
          matching.map((d) => ({ label: d.id, description: vscode.l10n.t('runs {0}', d.attributes.version ?? '?'), detail: `${d.attributes.pid} · ${d.attributes.channel} · ${d.attributes.fw_key}`, id: d.id })),
          vscode.l10n.t('Devices to update'),
        );
        if (!chosen) return undefined;
        devices = chosen.map((c) => c.id);
      } else devices = 'all matching';
    }
    const how = await flow.pick(typeChoices(provider), vscode.l10n.t('How should devices install it?'));
    if (!how) return undefined;
    const result = await withCancellableProgress(vscode.l10n.t('Deploying {0} on {1}', release.label, server.name), (signal) =>
      provider.deploy({ releaseId: release.id, pid: release.pid, fwKey: release.fwKey, channel: release.channel, boundKeys: bound, type: how.type, ...(devices === 'all matching' ? {} : { devices }) }, signal),
    );
    for (const note of result.notes) services.log.info(`${server.name}: ${note}`);
    services.tree.refresh();
    const whom = devices === 'all matching' ? vscode.l10n.t('every matching device') : devices.join(', ');
    const live = vscode.l10n.t('Watch Live');
    void vscode.window.showInformationMessage(vscode.l10n.t('Deployed {0} ({1}) on {2} to {3}.', release.label, how.type, server.name, whom), live).then((c) => (c === live ? vscode.commands.executeCommand('ota.openLiveView') : undefined));
    return { server: server.name, release, devices, type: how.type, result };
  } catch (err) {
    const what = server ? vscode.l10n.t('Deploy on {0} failed', server.name) : vscode.l10n.t('Deploy Release failed');
    const start = server?.type === 'local' && !services.server.current ? [{ title: vscode.l10n.t('Start Local Server'), run: () => vscode.commands.executeCommand('ota.startServer') }] : [];
    reportFailure(services, what, err, { ...(workspace ? { folder: workspace.folder } : {}), actions: start });
    return undefined;
  }
}

function typeChoices(provider: PushProvider): { label: string; detail: string; type: DeployType }[] {
  return [
    { label: vscode.l10n.t('Soft'), detail: vscode.l10n.t('devices may postpone the update'), type: 'soft' },
    { label: vscode.l10n.t('Forced'), detail: vscode.l10n.t('devices install at once'), type: 'forced' },
    ...(provider.kind === 'hawkbit' ? [{ label: vscode.l10n.t('Download only'), detail: vscode.l10n.t('devices download but do not install'), type: 'downloadonly' as DeployType }] : []),
  ];
}
