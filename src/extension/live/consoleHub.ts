import * as vscode from 'vscode';
import type { DeviceEvent } from '../../device/parsers/deviceEvent';
import { plainText } from '../../device/parsers/ansi';
import { LogParser } from '../../device/parsers/logParser';
import type { RuleSetName } from '../../device/parsers/logParser';
import type { LogRule } from '../../device/parsers/logRule';
import type { ReceivedLine } from '../../device/serial/lineAssembler';
import type { ConsoleLine } from '../../../webview/protocol';

/** Lines kept per device, so a view opened late still shows the recent past (boot and OTA lines survive an hour of polls). */
const keepPerDevice = 2_000;
/** Lines are handed on in batches: a device logging fast costs one message per batch, not one per line. */
const batchMs = 100;

/**
 * Device consoles (a serial port, or a simulated device's UART) read through the log parsers.
 * The live view shows the lines with what the parser made of them.
 */
export class ConsoleHub implements vscode.Disposable {
  private readonly recent = new Map<string, ConsoleLine[]>();
  private pending: ConsoleLine[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly emitter = new vscode.EventEmitter<ConsoleLine[]>();
  readonly onLines = this.emitter.event;

  /** Feeds lines of `device` through a parser for its log format; returns how to stop. */
  attach(device: string, ruleSets: readonly RuleSetName[], onLine: (listener: (line: ReceivedLine) => void) => { dispose(): void }, userRules: readonly LogRule[] = []): vscode.Disposable {
    const parser = new LogParser({ device, ruleSets, userRules });
    const subscription = onLine((line) => this.add(device, line, parser.parse(line)));
    return { dispose: () => subscription.dispose() };
  }

  devices(): string[] {
    return [...this.recent.keys()];
  }

  history(): ConsoleLine[] {
    return [...this.recent.values()].flat().sort((a, b) => a.time - b.time);
  }

  clear(): void {
    this.recent.clear();
  }

  /** Drops the history of devices that are gone (a stopped demo's). */
  forget(devices: readonly string[]): void {
    for (const d of devices) this.recent.delete(d);
  }

  private add(device: string, line: ReceivedLine, event: DeviceEvent | undefined): void {
    const text = plainText(line.text);
    const level = /^([EWID]) \(/.exec(text)?.[1] as ConsoleLine['level'] | undefined;
    const entry: ConsoleLine = { device, time: line.time, text, ...(level ? { level } : {}), ...(event ? { meaning: describeEvent(event), kind: event.kind } : {}) };
    const list = this.recent.get(device) ?? [];
    list.push(entry);
    if (list.length > keepPerDevice) list.splice(0, list.length - keepPerDevice);
    this.recent.set(device, list);
    this.pending.push(entry);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      const batch = this.pending;
      this.pending = [];
      this.emitter.fire(batch);
    }, batchMs);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.emitter.dispose();
  }
}

function describeEvent(e: DeviceEvent): string {
  const parts: string[] = [e.kind];
  if (e.progress !== undefined) parts.push(`${Math.round(e.progress)}%`);
  if (e.version) parts.push(`version ${e.version}`);
  if (e.fwKey) parts.push(`fw_key ${e.fwKey}`);
  if (e.channel) parts.push(`channel ${e.channel}`);
  return parts.join(' ');
}
