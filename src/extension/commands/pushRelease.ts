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

const deployChoices: { label: string; detail: string; type?: DeployType }[] = [
  { label: 'Publish only', detail: 'upload the release; deploy it later' },
  { label: 'Publish and deploy (soft)', detail: 'to every device reporting the channel, its PID and a bound key; devices may postpone', type: 'soft' },
  { label: 'Publish and deploy (forced)', detail: 'devices install at once', type: 'forced' },
  { label: 'Publish and deploy (download only)', detail: 'hawkBit: devices download but do not install', type: 'downloadonly' },
];

/**
 * OTA: Push Release — the channel's artifact, labelled with its embedded version, to any
 * configured server (ours, remote, hawkBit), optionally deployed; a cancellable upload with
 * real progress. The same steps as `ota push --server NAME --channel C [--deploy]`.
 */
export async function pushRelease(services: ExtensionServices): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  if (!folder) return void vscode.window.showErrorMessage('Open a workspace folder with .vscode/ota.json first.');
  const loaded = await loadWorkspaceConfig(folder.uri.fsPath);
  if (!loaded.config) return void vscode.window.showErrorMessage('The OTA config has errors: fix them (see Problems) and push again.');
  const config: OtaConfig = loaded.config;
  const channel = await pick(config.channels.map((c) => ({ label: c.name, description: `${c.pid} · ${c.firmwareKey}`, value: c })), 'Channel to push');
  if (!channel) return;
  const server = await pick(config.servers.map((s) => ({ label: s.name, description: s.type === 'local' ? `local ${s.host}:${s.port}` : `${s.type} ${s.url}`, value: s })), 'Server to push to');
  if (!server) return;
  const how = await vscode.window.showQuickPick(deployChoices, { placeHolder: 'Deploy it too?' });
  if (!how) return;
  try {
    const provider = await serverConnector(services.secrets)({ ...loaded, config }, server);
    const bound = config.products.find((p) => p.pid === channel.pid)?.firmwareKeys ?? [];
    const result = await withCancellableProgress(`Pushing ${channel.name} to ${server.name}`, async (signal, onProgress) => {
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
    void vscode.window.showInformationMessage(`Pushed ${basename(result.release.filename)} ${result.release.label} to ${server.name}${result.deployment ? ` and deployed it to ${result.deployment.devices.length || 'every matching'} device(s)` : ''}.`);
  } catch (err) {
    services.log.error(`push to ${server.name} failed: ${describeError(err)}`);
    void vscode.window.showErrorMessage(`Push to ${server.name} failed: ${describeError(err)}`);
  }
}

async function pick<T>(items: { label: string; description: string; value: T }[], placeHolder: string): Promise<T | undefined> {
  if (items.length === 1) return items[0]!.value;
  return (await vscode.window.showQuickPick(items, { placeHolder }))?.value;
}
