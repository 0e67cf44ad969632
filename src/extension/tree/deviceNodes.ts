import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Device } from '../../core/config/model';
import type { SerialState } from '../../device/serial/serialState';
import type { TreeNode } from './treeNode';

/** What the view knows of a serial port: the open monitor's state, else whether the path exists. */
export interface PortView {
  monitor?: SerialState;
  present?: boolean;
}

/**
 * A device row from the config: its id, the serial port and that port's state. Actions: Open
 * Serial Monitor (devices with a port), Watch Live.
 */
export function deviceNode(folder: vscode.Uri, device: Device, port: PortView, open: TreeNode['open']): TreeNode {
  const portPath = device.serial?.path ? path.resolve(folder.fsPath, device.serial.path) : undefined;
  const parts = [device.deviceId];
  if (portPath) parts.push(`${device.serial!.path} ${portWords(port)}`);
  return {
    id: `${folder.toString()}#device/${device.name}`,
    label: device.name,
    description: parts.join(' · '),
    tooltip: [
      device.expect ? vscode.l10n.t('expects PID {0}, key {1}, channel {2}', device.expect.pid ?? 'any', device.expect.firmwareKey ?? 'any', device.expect.channel ?? 'any') : undefined,
      portPath ? vscode.l10n.t('{0} @ {1} baud', portPath, device.serial!.baud) : vscode.l10n.t('no serial port in the config'),
      vscode.l10n.t('log parser {0}', device.logParser),
    ].filter(Boolean).join('\n'),
    icon: !portPath ? 'device-mobile' : port.monitor?.kind === 'connected' ? 'plug' : port.present ? 'device-mobile' : 'debug-disconnect',
    open,
    contextValue: portPath ? 'ota.device.serial' : 'ota.device',
    target: { folder, deviceId: device.deviceId },
  };
}

function portWords(port: PortView): string {
  const m = port.monitor;
  if (m) {
    switch (m.kind) {
      case 'connected':
        return vscode.l10n.t('(monitor connected)');
      case 'connecting':
        return vscode.l10n.t('(connecting)');
      case 'waiting':
        return vscode.l10n.t('(waiting: {0})', m.reason);
      case 'busy':
        return vscode.l10n.t('(busy: {0})', m.message);
      case 'disconnected':
        break;
    }
  }
  return port.present ? vscode.l10n.t('(present)') : vscode.l10n.t('(absent)');
}
