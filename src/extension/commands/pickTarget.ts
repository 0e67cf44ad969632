import * as vscode from 'vscode';
import { requireWorkspaceConfig } from '../../core/config/loader';
import type { LoadedConfig } from '../../core/config/loader';
import type { Channel, OtaConfig, Server } from '../../core/config/model';
import { OtaError } from '../../core/errors';
import type { CommandTarget } from './commandTarget';
import type { StepFlow } from './steps';

export type Workspace = LoadedConfig & { config: OtaConfig };

/** File folders of the workspace that have an OTA config, in workspace order. */
async function configFolders(): Promise<vscode.WorkspaceFolder[]> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  const withConfig = await Promise.all(
    folders.map(async (f) => {
      try {
        await vscode.workspace.fs.stat(vscode.Uri.joinPath(f.uri, '.vscode', 'ota.json'));
        return f;
      } catch {
        return undefined;
      }
    }),
  );
  return withConfig.filter((f): f is vscode.WorkspaceFolder => f !== undefined);
}

/** The folder of the target, the only folder with a config, or the one the user picks; then its config. */
export async function pickWorkspace(flow: StepFlow, target: CommandTarget | undefined): Promise<Workspace | undefined> {
  let folder = target?.folder.fsPath;
  if (folder) flow.skip();
  else {
    const folders = await configFolders();
    if (folders.length === 0) {
      throw new OtaError(vscode.l10n.t('no folder in this workspace has an OTA config (.vscode/ota.json)'), {
        code: 'no-config',
        hint: vscode.l10n.t('Run "OTA: Initialize Workspace" to write one, then try again.'),
      });
    }
    if (folders.length === 1) {
      flow.skip();
      folder = folders[0]!.uri.fsPath;
    } else {
      const picked = await flow.pick(
        folders.map((f) => ({ label: f.name, description: vscode.workspace.asRelativePath(f.uri, true), folder: f.uri.fsPath })),
        vscode.l10n.t('Workspace folder with the OTA config'),
      );
      if (!picked) return undefined;
      folder = picked.folder;
    }
  }
  return requireWorkspaceConfig(folder);
}

/** The target's channel, the only channel, or the one the user picks. */
export async function pickChannel(flow: StepFlow, workspace: Workspace, target: CommandTarget | undefined, placeholder: string): Promise<Channel | undefined> {
  const channels = workspace.config.channels;
  if (target?.channel !== undefined) {
    flow.skip();
    const channel = channels.find((c) => c.name === target.channel);
    if (!channel) {
      throw new OtaError(vscode.l10n.t('channel {0} is not in the OTA config', target.channel), { where: workspace.sharedFile, code: 'invalid-config', hint: vscode.l10n.t('Refresh the OTA view, or add the channel to .vscode/ota.json.') });
    }
    return channel;
  }
  if (channels.length === 0) {
    throw new OtaError(vscode.l10n.t('the OTA config has no channels'), { where: workspace.sharedFile, code: 'invalid-config', hint: vscode.l10n.t('Add a channel (what to build, where the image lands) to .vscode/ota.json.') });
  }
  if (channels.length === 1) {
    flow.skip();
    return channels[0];
  }
  const picked = await flow.pick(
    channels.map((channel) => ({ label: channel.name, description: vscode.l10n.t('PID {0} · {1}', channel.pid, channel.format), detail: vscode.l10n.t('firmware key {0}', channel.firmwareKey), channel })),
    placeholder,
  );
  return picked?.channel;
}

export function describeServer(server: Server): string {
  return server.type === 'local' ? vscode.l10n.t('local {0}:{1}', server.host, server.port) : `${server.type} ${server.url}`;
}

/** The target's server, the only server, or the one the user picks. */
export async function pickServer(flow: StepFlow, workspace: Workspace, target: CommandTarget | undefined, placeholder: string): Promise<Server | undefined> {
  const servers = workspace.config.servers;
  if (target?.server !== undefined) {
    flow.skip();
    const server = servers.find((s) => s.name === target.server);
    if (!server) throw new OtaError(vscode.l10n.t('server {0} is not in the OTA config', target.server), { where: workspace.sharedFile, code: 'invalid-config' });
    return server;
  }
  if (servers.length === 0) {
    throw new OtaError(vscode.l10n.t('the OTA config names no server'), { where: workspace.sharedFile, code: 'invalid-config', hint: vscode.l10n.t('Add one to "servers" in .vscode/ota.json, e.g. a local server.') });
  }
  if (servers.length === 1) {
    flow.skip();
    return servers[0];
  }
  const picked = await flow.pick(
    servers.map((server) => ({ label: server.name, description: describeServer(server), server, ...(server.name === workspace.config.defaultServer ? { detail: vscode.l10n.t('the default server') } : {}) })),
    placeholder,
  );
  return picked?.server;
}
