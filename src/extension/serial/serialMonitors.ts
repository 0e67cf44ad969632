import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Device } from '../../core/config/model';
import type { Logger } from '../../core/logger';
import { LogParser, ruleSetsFor } from '../../device/parsers/logParser';
import { compileUserRules } from '../../device/parsers/userRules';
import { SerialManager } from '../../device/serial/serialManager';
import type { SerialState } from '../../device/serial/serialState';
import type { SerialStates } from '../workspaceTree';
import { SerialTerminal } from './serialTerminal';

/**
 * The open serial monitors, one terminal per port. Opening a monitor that is open shows it; the
 * port's state (connected, waiting after an unplug, busy) is what the OTA view's device rows show.
 */
export class SerialMonitors implements SerialStates, vscode.Disposable {
  private readonly manager = new SerialManager();
  private readonly open = new Map<string, { terminal: vscode.Terminal; pty: SerialTerminal; stateSub: { dispose(): void } }>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly log: Logger) {}

  stateOf(portPath: string): SerialState | undefined {
    return this.open.has(portPath) ? this.manager.get(portPath)?.state : undefined;
  }

  /** Shows the device's monitor, opening it (and connecting) first if needed. Returns the terminal. */
  async show(folder: string, device: Device): Promise<vscode.Terminal> {
    const portPath = path.resolve(folder, device.serial!.path);
    const known = this.open.get(portPath);
    if (known) {
      known.terminal.show();
      return known.terminal;
    }
    const connection = await this.manager.connect({ path: portPath, baudRate: device.serial!.baud });
    let userRules: ReturnType<typeof compileUserRules> = [];
    try {
      userRules = compileUserRules(device.logRules ?? [], `devices "${device.name}" logRules`);
    } catch (err) {
      this.log.warn(`serial monitor of ${device.name}: ${(err as Error).message}; showing the console with the built-in rules`);
    }
    const parser = new LogParser({ device: device.name, ruleSets: ruleSetsFor(device.logParser), userRules });
    const pty = new SerialTerminal(device.name, connection, parser, () => void this.closed(portPath));
    const terminal = vscode.window.createTerminal({ name: vscode.l10n.t('OTA Serial: {0}', device.name), pty, iconPath: new vscode.ThemeIcon('plug') });
    const stateSub = connection.onState(() => this.changed.fire());
    this.open.set(portPath, { terminal, pty, stateSub });
    terminal.show();
    this.changed.fire();
    return terminal;
  }

  private async closed(portPath: string): Promise<void> {
    const entry = this.open.get(portPath);
    if (!entry) return;
    this.open.delete(portPath);
    entry.stateSub.dispose();
    await this.manager.disconnect(portPath);
    this.changed.fire();
  }

  dispose(): void {
    for (const { pty, stateSub } of this.open.values()) {
      stateSub.dispose();
      pty.end();
    }
    this.open.clear();
    this.manager.dispose();
    this.changed.dispose();
  }
}
