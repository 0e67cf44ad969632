import * as vscode from 'vscode';
import { requireWorkspaceConfig, type LoadedConfig } from '../../core/config/loader';
import type { OtaConfig, Server } from '../../core/config/model';
import { OtaError } from '../../core/errors';
import { targetOf } from './commandTarget';
import { pickFolder } from './folderStep';

/** The server a command acts on: the row's, else asked for (folder, then server) with titled steps. */
export async function serverOf(arg: unknown, title: string): Promise<{ folder: vscode.Uri; loaded: LoadedConfig & { config: OtaConfig }; server: Server } | undefined> {
  const target = targetOf(arg);
  const folder = target?.folder ?? (await pickFolder(title, 1, 2));
  if (!folder) return undefined;
  const loaded = await requireWorkspaceConfig(folder.fsPath);
  let server = target?.server ? loaded.config.servers.find((s) => s.name === target.server) : undefined;
  if (target?.server && !server) throw new OtaError(vscode.l10n.t('.vscode/ota.json has no server "{0}" any more', target.server), { where: loaded.sharedFile });
  if (!server) {
    const servers = loaded.config.servers;
    if (servers.length === 0) throw new OtaError(vscode.l10n.t('.vscode/ota.json names no server'), { where: loaded.sharedFile, hint: vscode.l10n.t('add one to "servers" (a local one: {"type": "local", "name": "local"})') });
    const picked =
      servers.length === 1
        ? { server: servers[0]! }
        : await vscode.window.showQuickPick(
            servers.map((s) => ({ label: s.name, description: s.type === 'local' ? vscode.l10n.t('local {0}:{1}', s.host, s.port) : `${s.type} ${s.url}`, server: s })),
            { title: `${title} (2/2)`, placeHolder: vscode.l10n.t('Server') },
          );
    if (!picked) return undefined;
    server = picked.server;
  }
  return { folder, loaded, server };
}
