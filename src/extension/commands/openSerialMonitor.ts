import * as vscode from 'vscode';
import { requireWorkspaceConfig } from '../../core/config/loader';
import { OtaError } from '../../core/errors';
import type { ExtensionServices } from '../context';
import { targetOf } from './commandTarget';
import { pickFolder } from './folderStep';

/**
 * Opens (or shows) a device's serial monitor: a terminal with the parsed console that reconnects
 * after an unplug. The row's device, else one of the config's devices with a serial port.
 */
export async function openSerialMonitor(services: ExtensionServices, arg?: unknown): Promise<vscode.Terminal | undefined> {
  const title = vscode.l10n.t('Open Serial Monitor');
  const target = targetOf(arg);
  const folder = target?.folder ?? (await pickFolder(title, 1, 2));
  if (!folder) return undefined;
  const loaded = await requireWorkspaceConfig(folder.fsPath);
  const withPort = loaded.config.devices.filter((d) => d.serial?.path);
  let device = target?.deviceId ? withPort.find((d) => d.deviceId === target.deviceId) : undefined;
  if (!device) {
    if (withPort.length === 0) {
      throw new OtaError(vscode.l10n.t('no device in .vscode/ota.json has a serial port'), { where: loaded.sharedFile, hint: vscode.l10n.t('add "serial": {"path": "/dev/ttyUSB0", "baud": 115200} to the device') });
    }
    const picked =
      withPort.length === 1
        ? { device: withPort[0]! }
        : await vscode.window.showQuickPick(
            withPort.map((d) => ({ label: d.name, description: `${d.deviceId} · ${d.serial!.path}`, device: d })),
            { title: `${title} (2/2)`, placeHolder: vscode.l10n.t('Device') },
          );
    if (!picked) return undefined;
    device = picked.device;
  }
  return services.serial.show(folder.fsPath, device);
}
