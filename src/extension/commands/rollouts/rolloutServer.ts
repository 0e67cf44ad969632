import * as vscode from 'vscode';
import { loadWorkspaceConfig } from '../../../core/config/loader';
import type { LoadedConfig } from '../../../core/config/loader';
import type { OtaConfig, Server } from '../../../core/config/model';
import { OtaError } from '../../../core/errors';
import type { PushProvider, RolloutApi } from '../../../providers/provider';
import { serverConnector } from '../../serverConnector';
import type { Secrets } from '../../secrets';
import type { CommandTarget } from '../commandTarget';
import type { QuickSteps } from './quickSteps';

/** A configured server whose provider has staged rollouts, with the config it came from. */
export interface RolloutServer {
  loaded: LoadedConfig & { config: OtaConfig };
  server: Server;
  provider: PushProvider & { rollouts: RolloutApi };
}

/** How many questions `pickRolloutServer` will ask: a step number is counted for each. */
export async function serverQuestions(target: CommandTarget | undefined): Promise<{ folders: vscode.Uri[]; asks: number }> {
  const folders = target ? [target.folder] : await configFolders();
  if (!folders.length) throw new OtaError(vscode.l10n.t('no workspace folder has an OTA config (.vscode/ota.json)'), { hint: vscode.l10n.t('run "OTA: Initialize Workspace" first') });
  let asks = folders.length > 1 ? 1 : 0;
  if (!target?.server) {
    const only = folders.length === 1 ? await loadedConfig(folders[0]!) : undefined;
    if (!only || only.config.servers.length > 1) asks++;
  }
  return { folders, asks };
}

/**
 * The folder and server a rollout command acts on: the target's, or asked; then its provider,
 * refused with a clear message when that kind of server has no staged rollouts.
 */
export async function pickRolloutServer(target: CommandTarget | undefined, folders: vscode.Uri[], steps: QuickSteps, secrets: Secrets): Promise<RolloutServer | undefined> {
  const folder =
    folders.length === 1
      ? folders[0]!
      : await steps.pick(folders.map((f) => ({ label: vscode.workspace.asRelativePath(f, true), value: f })), vscode.l10n.t('Workspace folder'));
  if (!folder) return undefined;
  const loaded = await loadedConfig(folder);
  const servers = loaded.config.servers;
  let server: Server | undefined;
  if (target?.server) {
    server = servers.find((s) => s.name === target.server);
    if (!server) throw new OtaError(vscode.l10n.t('the OTA config has no server named "{0}"', target.server), { where: loaded.sharedFile });
  } else if (servers.length === 1) {
    server = servers[0];
  } else {
    server = await steps.pick(
      servers.map((s) => ({ label: s.name, description: s.type === 'local' ? vscode.l10n.t('local {0}:{1}', s.host, s.port) : `${s.type} ${s.url}`, value: s })),
      vscode.l10n.t('Server whose rollouts to manage'),
    );
  }
  if (!server) {
    if (!servers.length) throw new OtaError(vscode.l10n.t('the OTA config names no server'), { where: loaded.sharedFile, hint: vscode.l10n.t('add one to "servers" in .vscode/ota.json') });
    return undefined;
  }
  const provider = await serverConnector(secrets)(loaded, server);
  if (!provider.rollouts) {
    throw new OtaError(vscode.l10n.t('server "{0}" ({1}) has no staged rollouts', server.name, server.type), {
      hint: vscode.l10n.t('pick a server that has them (Eclipse hawkBit), or deploy to every matching device with "OTA: Push Release to a Server"'),
    });
  }
  return { loaded, server, provider: provider as PushProvider & { rollouts: RolloutApi } };
}

async function configFolders(): Promise<vscode.Uri[]> {
  const out: vscode.Uri[] = [];
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    if (folder.uri.scheme !== 'file') continue;
    const exists = await vscode.workspace.fs.stat(vscode.Uri.joinPath(folder.uri, '.vscode', 'ota.json')).then(() => true, () => false);
    if (exists) out.push(folder.uri);
  }
  return out;
}

async function loadedConfig(folder: vscode.Uri): Promise<LoadedConfig & { config: OtaConfig }> {
  const loaded = await loadWorkspaceConfig(folder.fsPath);
  if (!loaded.config) {
    throw new OtaError(vscode.l10n.t('the OTA config has errors'), { where: loaded.sharedFile, hint: vscode.l10n.t('fix them (see Problems), then run the command again') });
  }
  return { ...loaded, config: loaded.config };
}
