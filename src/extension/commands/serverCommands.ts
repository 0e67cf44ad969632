import * as vscode from 'vscode';
import type { ExtensionServices } from '../context';
import type { EmbeddedServerInfo } from '../server/embeddedServer';

export async function startServer(services: ExtensionServices): Promise<EmbeddedServerInfo> {
  const server = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Starting the OTA server…') },
    () => services.server.start(),
  );
  void vscode.window.showInformationMessage(vscode.l10n.t('OTA server running on {0}', server.url));
  return { url: server.url, port: server.port, dataDir: services.server.dataDir };
}

export async function stopServer(services: ExtensionServices): Promise<boolean> {
  const stopped = await services.server.stop();
  if (!stopped) void vscode.window.showInformationMessage(vscode.l10n.t('The OTA server is not running.'));
  return stopped;
}

/**
 * Copies the embedded server's device token (for firmware or a device's config: GatewayToken,
 * Basic password or ?token=). It goes to the clipboard, never to a log or a notification.
 */
export async function copyDeviceToken(services: ExtensionServices): Promise<void> {
  await vscode.env.clipboard.writeText(await services.server.deviceToken());
  void vscode.window.showInformationMessage(vscode.l10n.t('The OTA device token is on the clipboard. Devices send it when the local server listens beyond 127.0.0.1.'));
}
