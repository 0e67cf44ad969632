import * as path from 'node:path';
import type * as vscode from 'vscode';
import type { Device, OtaConfig } from '../../core/config/model';
import { describeError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import { ruleSetsFor } from '../../device/parsers/logParser';
import type { LogRule } from '../../device/parsers/logRule';
import { compileUserRules } from '../../device/parsers/userRules';
import { SerialManager } from '../../device/serial/serialManager';
import type { ConsoleHub } from './consoleHub';

/**
 * The serial consoles of the devices the config names with a `serial` path, read into the
 * console hub while the live view is open. A port that is absent or busy is waited for by the
 * serial layer; the view just shows no lines until it appears.
 */
export class SerialConsoles {
  private manager: SerialManager | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  private watched = '';

  watch(config: OtaConfig, folder: string, hub: ConsoleHub, log: Logger): void {
    const devices = config.devices.filter((d) => d.serial?.path);
    const key = JSON.stringify(devices.map((d) => [d.name, d.serial, d.logParser, d.logRules]));
    if (key === this.watched) return;
    this.stop();
    this.watched = key;
    if (devices.length === 0) return;
    const manager = (this.manager = new SerialManager());
    for (const device of devices) {
      const portPath = path.resolve(folder, device.serial!.path);
      void manager
        .connect({ path: portPath, baudRate: device.serial!.baud })
        .then((connection) => {
          if (this.manager !== manager) return;
          this.subscriptions.push(hub.attach(device.name, ruleSetsFor(device.logParser), (listener) => connection.onLine(listener), userRulesOf(device, log)));
          log.info(`live view: reading the serial console of ${device.name} on ${portPath}`);
        })
        .catch((err: unknown) => log.warn(`live view: serial console of ${device.name} on ${portPath}: ${describeError(err)}`));
    }
  }

  stop(): void {
    for (const s of this.subscriptions.splice(0)) s.dispose();
    this.manager?.dispose();
    this.manager = undefined;
    this.watched = '';
  }
}

/** The device's own log rules; one that does not compile is reported and left out, the console still runs. */
function userRulesOf(device: Device, log: Logger): LogRule[] {
  try {
    return compileUserRules(device.logRules ?? [], `devices "${device.name}" logRules`);
  } catch (err) {
    log.warn(`live view: ${describeError(err)}`);
    return [];
  }
}
