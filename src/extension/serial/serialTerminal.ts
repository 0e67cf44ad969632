import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import type { LogParser } from '../../device/parsers/logParser';
import type { DeviceEvent } from '../../device/parsers/deviceEvent';
import type { SerialConnection } from '../../device/serial/serialConnection';
import { describeSerialState } from '../../device/serial/serialState';

const dim = (s: string) => `\x1b[2m${s}\x1b[0m`;
const cyan = (s: string) => `\x1b[36m${s}\x1b[0m`;
const yellow = (s: string) => `\x1b[33m${s}\x1b[0m`;
const red = (s: string) => `\x1b[31m${s}\x1b[0m`;

/**
 * A device's serial console in a VS Code terminal: each line with the host time, and what the log
 * parser read from it (OTA progress, version, reboot…) after it. The connection keeps trying after
 * an unplug or while another tool holds the port and says so here; typed lines go to the device.
 */
export class SerialTerminal implements vscode.Pseudoterminal {
  private readonly writer = new vscode.EventEmitter<string>();
  private readonly closer = new vscode.EventEmitter<void>();
  readonly onDidWrite = this.writer.event;
  readonly onDidClose = this.closer.event;
  private readonly subscriptions: { dispose(): void }[] = [];
  private typed = '';
  /** Lines kept until the terminal opens (and the last few shown when it does). */
  private opened = false;

  constructor(
    private readonly device: string,
    private readonly connection: SerialConnection,
    private readonly parser: LogParser,
    private readonly onClosed: () => void,
  ) {}

  open(): void {
    this.opened = true;
    const c = this.connection;
    this.print(dim(vscode.l10n.t('Serial monitor of {0}: {1}. Type a line and press Enter to send it.', this.device, describeSerialState(c.path, c.state))));
    this.subscriptions.push(
      c.onState((state) => this.print(state.kind === 'connected' ? cyan(`— ${describeSerialState(c.path, state)}`) : yellow(`— ${describeSerialState(c.path, state)}`))),
      c.onLine((line) => {
        const event = this.parser.parse(line);
        this.print(`${dim(clock(line.time))} ${line.text}${event ? ` ${annotate(event)}` : ''}`);
      }),
    );
  }

  close(): void {
    for (const s of this.subscriptions.splice(0)) s.dispose();
    this.onClosed();
  }

  handleInput(data: string): void {
    if (data === '\r') {
      const text = this.typed;
      this.typed = '';
      this.writer.fire('\r\n');
      this.connection.sendLine(text).catch((err: unknown) => this.print(red(describeError(err).split('\n')[0]!)));
    } else if (data === '\x7f') {
      if (this.typed.length > 0) {
        this.typed = this.typed.slice(0, -1);
        this.writer.fire('\b \b');
      }
    } else if ([...data].every((ch) => ch >= ' ')) {
      // Printable text only: arrow keys and other escape sequences are not for the device.
      this.typed += data;
      this.writer.fire(data);
    }
  }

  /** Ends the terminal from our side (the device left the config, the extension stops). */
  end(): void {
    this.closer.fire();
  }

  private print(text: string): void {
    if (!this.opened) return;
    // A line typed but not sent stays on screen below what arrived.
    this.writer.fire(`\r\x1b[2K${text.replace(/\r?\n/g, '\r\n')}\r\n${this.typed}`);
  }
}

function clock(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}:${String(d.getSeconds()).padStart(2, '0')}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

/** What the parser read, after the line: `◂ ota-progress downloading 45%`. */
function annotate(e: DeviceEvent): string {
  const parts: string[] = [e.kind];
  if (e.state) parts.push(e.state);
  if (e.progress !== undefined) parts.push(`${Math.round(e.progress)}%`);
  if (e.version) parts.push(`v${e.version}`);
  if (e.fwKey) parts.push(`fw_key=${e.fwKey}`);
  if (e.channel) parts.push(`channel=${e.channel}`);
  const text = `◂ ${parts.join(' ')}`;
  return e.kind === 'ota-error' || e.kind === 'boot-error' || e.kind === 'rollback' ? red(text) : e.kind === 'poll' || e.kind === 'no-update' ? dim(text) : cyan(text);
}
