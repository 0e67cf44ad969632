import * as vscode from 'vscode';
import type { ExtensionServices } from '../context';
import type { EmbeddedServerInfo } from '../server/embeddedServer';
import { targetOf } from './commandTarget';

/** OTA: Start Local Server — from a server row, that folder's local server (its port); from the palette, the first folder's. */
export async function startServer(services: ExtensionServices, arg?: unknown): Promise<EmbeddedServerInfo> {
  const was = services.server.current;
  const target = targetOf(arg);
  const server = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Starting the local OTA server…') },
    () => services.server.start(target ? { folder: target.folder.fsPath, ...(target.server !== undefined ? { server: target.server } : {}) } : undefined),
  );
  const where = hostPort(server.url);
  void vscode.window.showInformationMessage(
    was ? vscode.l10n.t('The local OTA server is already running on {0}.', where) : vscode.l10n.t('Started the local OTA server on {0}. Devices poll it at {1}.', where, server.url),
  );
  return { url: server.url, port: server.port, dataDir: services.server.dataDir };
}

export async function stopServer(services: ExtensionServices): Promise<boolean> {
  const url = services.server.current?.url;
  const stopped = await services.server.stop();
  void vscode.window.showInformationMessage(
    stopped
      ? url
        ? vscode.l10n.t('Stopped the local OTA server (was on {0}).', hostPort(url))
        : vscode.l10n.t('Stopped the local OTA server while it was starting.')
      : vscode.l10n.t('The local OTA server is not running: nothing to stop.'),
  );
  return stopped;
}

/** "127.0.0.1:8080" from "http://127.0.0.1:8080": how people name where a server listens. */
function hostPort(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/**
 * Copies the embedded server's device token (for firmware or a device's config: GatewayToken,
 * Basic password or ?token=). It goes to the clipboard, never to a log or a notification.
 */
export async function copyDeviceToken(services: ExtensionServices): Promise<void> {
  await vscode.env.clipboard.writeText(await services.server.deviceToken());
  void vscode.window.showInformationMessage(vscode.l10n.t('The OTA device token is on the clipboard. Devices send it when the local server listens beyond 127.0.0.1.'));
}
