import * as vscode from 'vscode';
import { basename } from 'node:path';
import { findArtifact } from '../../core/build/findArtifact';
import { loadWorkspaceConfig } from '../../core/config/loader';
import type { OtaConfig } from '../../core/config/model';
import { describeError } from '../../core/errors';
import { labelForPush } from '../../core/version/pushLabel';
import type { DeployType } from '../../providers/provider';
import type { ExtensionServices } from '../context';
import { withCancellableProgress } from '../firmware/cancellableProgress';
import { serverConnector } from '../serverConnector';

// Made when the command runs, like every other message here, so they are looked up in the loaded bundle then.
const deployChoices = (): { label: string; detail: string; type?: DeployType }[] => [
  { label: vscode.l10n.t('Publish only'), detail: vscode.l10n.t('upload the release; deploy it later') },
  { label: vscode.l10n.t('Publish and deploy (soft)'), detail: vscode.l10n.t('to every device reporting the channel, its PID and a bound key; devices may postpone'), type: 'soft' },
  { label: vscode.l10n.t('Publish and deploy (forced)'), detail: vscode.l10n.t('devices install at once'), type: 'forced' },
  { label: vscode.l10n.t('Publish and deploy (download only)'), detail: vscode.l10n.t('hawkBit: devices download but do not install'), type: 'downloadonly' },
];

/**
 * OTA: Push Release — the channel's artifact, labelled with its embedded version, to any
 * configured server (ours, remote, hawkBit), optionally deployed; a cancellable upload with
 * real progress. The same steps as `ota push --server NAME --channel C [--deploy]`.
 */
export async function pushRelease(services: ExtensionServices): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  if (!folder) return void vscode.window.showErrorMessage(vscode.l10n.t('Open a workspace folder with .vscode/ota.json first.'));
  const loaded = await loadWorkspaceConfig(folder.uri.fsPath);
  if (!loaded.config) return void vscode.window.showErrorMessage(vscode.l10n.t('The OTA config has errors: fix them (see Problems) and push again.'));
  const config: OtaConfig = loaded.config;
  const channel = await pick(config.channels.map((c) => ({ label: c.name, description: `${c.pid} · ${c.firmwareKey}`, value: c })), vscode.l10n.t('Channel to push'));
  if (!channel) return;
  const server = await pick(config.servers.map((s) => ({ label: s.name, description: s.type === 'local' ? vscode.l10n.t('local {0}:{1}', s.host, s.port) : `${s.type} ${s.url}`, value: s })), vscode.l10n.t('Server to push to'));
  if (!server) return;
  const how = await vscode.window.showQuickPick(deployChoices(), { placeHolder: vscode.l10n.t('Deploy it too?') });
  if (!how) return;
  try {
    const provider = await serverConnector(services.secrets)({ ...loaded, config }, server);
    const bound = config.products.find((p) => p.pid === channel.pid)?.firmwareKeys ?? [];
    const result = await withCancellableProgress(vscode.l10n.t('Pushing {0} to {1}', channel.name, server.name), async (signal, onProgress) => {
      const file = (await findArtifact(channel, folder.uri.fsPath, signal)).path;
      const label = await labelForPush(file, channel, folder.uri.fsPath);
      const release = await provider.publish({ file, pid: channel.pid, fwKey: channel.firmwareKey, channel: channel.name, label }, { signal, onProgress });
      const deployment = how.type
        ? await provider.deploy({ releaseId: release.id, pid: channel.pid, fwKey: channel.firmwareKey, channel: channel.name, boundKeys: [channel.firmwareKey, ...bound], type: how.type }, signal)
        : undefined;
      return { release, deployment };
    });
    for (const note of [...result.release.notes, ...(result.deployment?.notes ?? [])]) services.log.info(`${server.name}: ${note}`);
    services.tree.refresh();
    const file = basename(result.release.filename);
    const count = result.deployment?.devices.length;
    void vscode.window.showInformationMessage(
      !result.deployment
        ? vscode.l10n.t('Pushed {0} {1} to {2}.', file, result.release.label, server.name)
        : count
          ? vscode.l10n.t('Pushed {0} {1} to {2} and deployed it to {3} device(s).', file, result.release.label, server.name, count)
          : vscode.l10n.t('Pushed {0} {1} to {2} and deployed it to every matching device.', file, result.release.label, server.name),
    );
  } catch (err) {
    services.log.error(`push to ${server.name} failed: ${describeError(err)}`);
    void vscode.window.showErrorMessage(vscode.l10n.t('Push to {0} failed: {1}', server.name, describeError(err)));
  }
}

async function pick<T>(items: { label: string; description: string; value: T }[], placeHolder: string): Promise<T | undefined> {
  if (items.length === 1) return items[0]!.value;
  return (await vscode.window.showQuickPick(items, { placeHolder }))?.value;
}
