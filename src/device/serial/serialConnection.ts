import { promises as fs } from 'node:fs';
import { SerialPort } from 'serialport';
import { OtaError } from '../../core/errors';
import { Emitter } from '../emitter';
import type { Disposable } from '../emitter';
import { LineAssembler } from './lineAssembler';
import type { ReceivedLine } from './lineAssembler';
import { describeHolders, findPortHolders } from './portHolders';
import type { SerialState } from './serialState';

export interface SerialConnectionOptions {
  path: string;
  baudRate: number;
  /** Keep trying after the port disappears or is busy (default true). */
  reconnect?: boolean;
  /** How often to look for the port again, ms (default 250: reconnects well within 2 s). */
  retryMs?: number;
  maxLineBytes?: number;
}

/**
 * One serial port the user watches. It survives the device resetting, the cable being pulled and
 * another tool borrowing the port: it waits, says why, and comes back by itself.
 */
export class SerialConnection implements Disposable {
  private readonly stateEmitter = new Emitter<SerialState>();
  private readonly lineEmitter = new Emitter<ReceivedLine>();
  private readonly rawEmitter = new Emitter<Buffer>();
  readonly onState = this.stateEmitter.event;
  readonly onLine = this.lineEmitter.event;
  /** Bytes as they arrive, for a terminal view that wants them unassembled. */
  readonly onData = this.rawEmitter.event;

  private current: SerialState = { kind: 'disconnected' };
  private port: SerialPort | undefined;
  private wanted = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private presenceTimer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private baudRate: number;
  private readonly assembler: LineAssembler;

  constructor(private readonly options: SerialConnectionOptions) {
    this.baudRate = options.baudRate;
    this.assembler = new LineAssembler((line) => this.lineEmitter.fire(line), options.maxLineBytes);
  }

  get path(): string {
    return this.options.path;
  }

  get state(): SerialState {
    return this.current;
  }

  /** Starts connecting; resolves once the first attempt has an outcome (connected, waiting or busy). */
  async connect(): Promise<SerialState> {
    this.wanted = true;
    if (this.port?.isOpen) return this.current;
    await this.attempt();
    return this.current;
  }

  async disconnect(): Promise<void> {
    this.wanted = false;
    this.clearRetry();
    this.stopPresenceWatch();
    const port = this.port;
    this.port = undefined;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
    this.assembler.flush();
    this.setState({ kind: 'disconnected' });
  }

  async setBaudRate(baudRate: number): Promise<void> {
    this.baudRate = baudRate;
    if (this.port?.isOpen) await this.port.port?.update({ baudRate });
  }

  /** Sends `text` plus a newline; fails clearly when the port is not connected. */
  async sendLine(text: string, eol = '\n'): Promise<void> {
    const port = this.port;
    if (!port?.isOpen || this.current.kind !== 'connected') {
      throw new OtaError(`cannot send to ${this.path}: not connected`, {
        where: this.path,
        hint: 'wait until the port is connected (the device may be resetting or the port busy)',
      });
    }
    await new Promise<void>((resolve, reject) => {
      port.write(text + eol, (err) => (err ? reject(err) : port.drain((e) => (e ? reject(e) : resolve()))));
    });
  }

  /** Resolves with the first state `accept` takes (the current one included), or fails after `timeoutMs`. */
  waitForState(accept: (state: SerialState) => boolean, timeoutMs: number, signal?: AbortSignal): Promise<SerialState> {
    if (accept(this.current)) return Promise.resolve(this.current);
    return new Promise((resolve, reject) => {
      const cleanup = () => {
        clearTimeout(timer);
        sub.dispose();
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        cleanup();
        reject(signal?.reason instanceof Error ? signal.reason : new OtaError('cancelled'));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new OtaError(`${this.path} did not reach the expected state within ${timeoutMs} ms (now: ${this.current.kind})`));
      }, timeoutMs);
      const sub = this.onState((state) => {
        if (!accept(state)) return;
        cleanup();
        resolve(state);
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  dispose(): void {
    void this.disconnect();
    this.stateEmitter.dispose();
    this.lineEmitter.dispose();
    this.rawEmitter.dispose();
  }

  /** One open attempt at a time: a retry timer and an explicit connect() must not open the port twice. */
  private attempt(): Promise<void> {
    this.inFlight ??= this.openOnce().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async openOnce(): Promise<void> {
    this.clearRetry();
    if (!this.wanted || this.port?.isOpen) return;
    if (this.current.kind === 'disconnected') this.setState({ kind: 'connecting' });
    const port = new SerialPort({ path: this.path, baudRate: this.baudRate, autoOpen: false });
    const error = await new Promise<Error | null>((resolve) => port.open((err) => resolve(err ?? null)));
    if (!this.wanted) {
      if (!error) port.close();
      return;
    }
    if (error) {
      await this.onOpenFailed(error);
      return;
    }
    this.port = port;
    port.on('data', (chunk: Buffer) => {
      this.rawEmitter.fire(chunk);
      this.assembler.push(chunk);
    });
    // Errors after open end in 'close'; listening keeps them from being thrown as unhandled.
    port.on('error', () => undefined);
    port.on('close', () => {
      if (this.port !== port) return;
      this.port = undefined;
      this.stopPresenceWatch();
      this.assembler.flush();
      if (!this.wanted) return;
      this.setState({ kind: 'waiting', reason: 'the port went away (unplugged or reset)' });
      this.scheduleRetry();
    });
    const openedAs = await fs.realpath(this.path).catch(() => this.path);
    // The port may have gone again while we looked up its real path; 'close' has handled that.
    if (this.port !== port || !port.isOpen) return;
    this.watchPresence(port, openedAs);
    this.setState({ kind: 'connected', since: Date.now() });
  }

  /**
   * A port is not always told that its device went away: when a pty's other side vanishes before
   * serialport's first poll, reads return 0 bytes forever and no 'close' comes. So while connected
   * we also check that the path still names the device we opened, and close it ourselves if not.
   */
  private watchPresence(port: SerialPort, openedAs: string): void {
    this.stopPresenceWatch();
    this.presenceTimer = setInterval(() => {
      void fs.realpath(this.path).then(
        (now) => now === openedAs,
        () => false,
      ).then((same) => {
        if (!same && this.port === port && port.isOpen) port.close();
      });
    }, this.options.retryMs ?? 250);
  }

  private stopPresenceWatch(): void {
    if (this.presenceTimer) clearInterval(this.presenceTimer);
    this.presenceTimer = undefined;
  }

  private async onOpenFailed(error: Error): Promise<void> {
    const message = error.message;
    if (/cannot lock port|resource temporarily unavailable|EBUSY|device or resource busy/i.test(message)) {
      const holders = await findPortHolders(this.path);
      this.setState({ kind: 'busy', holders, message: `busy: held by ${describeHolders(holders)}` });
      // Another tool is flashing or monitoring: look again less often (the holder scan reads /proc).
      this.scheduleRetry(Math.max(1000, this.options.retryMs ?? 250));
      return;
    } else if (/ENOENT|no such file/i.test(message)) {
      this.setState({ kind: 'waiting', reason: 'the port does not exist yet' });
    } else if (/EACCES|permission denied/i.test(message)) {
      this.setState({ kind: 'waiting', reason: 'permission denied (on Linux, add yourself to the dialout group)' });
    } else {
      this.setState({ kind: 'waiting', reason: message });
    }
    this.scheduleRetry();
  }

  private scheduleRetry(ms = this.options.retryMs ?? 250): void {
    if (!this.wanted || this.options.reconnect === false) return;
    this.clearRetry();
    this.retryTimer = setTimeout(() => void this.attempt(), ms);
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private setState(next: SerialState): void {
    if (sameState(this.current, next)) return;
    this.current = next;
    this.stateEmitter.fire(next);
  }
}

/** Retries repeat the same outcome every few hundred ms; only real changes are news. */
function sameState(a: SerialState, b: SerialState): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'waiting' && b.kind === 'waiting') return a.reason === b.reason;
  if (a.kind === 'busy' && b.kind === 'busy') return a.message === b.message;
  return a.kind !== 'connected';
}
