import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { Emitter } from '../emitter';
import type { ReceivedLine } from '../serial/lineAssembler';

type Level = 'E' | 'W' | 'I' | 'D';
const colour: Record<Level, string> = { E: '\x1b[0;31m', W: '\x1b[0;33m', I: '\x1b[0;32m', D: '' };

/**
 * The simulated device's UART: ESP-IDF-style lines ("I (1234) tag: message", coloured, ms since
 * boot). Lines go to listeners (the fleet view, tests) and, when attached, to one end of a socat
 * pty pair, so a serial monitor on the other end sees exactly what it would see from a board.
 */
export class DeviceConsole {
  private readonly lineEmitter = new Emitter<ReceivedLine>();
  readonly onLine = this.lineEmitter.event;
  private bootTime = Date.now();
  private pty: FileHandle | undefined;
  private writes = Promise.resolve();

  /** Writes every line to `path` too (the device end of a pty pair). */
  async attachPty(path: string): Promise<void> {
    this.pty = await fs.open(path, 'w');
  }

  /** A reset: the ms-since-boot clock starts again. */
  reset(): void {
    this.bootTime = Date.now();
  }

  /** A line printed before the logging system (ROM, bootloader banners): no prefix. */
  raw(text: string): void {
    this.emit(text);
  }

  log(level: Level, tag: string, message: string): void {
    const body = `${level} (${Date.now() - this.bootTime}) ${tag}: ${message}`;
    this.emit(colour[level] ? `${colour[level]}${body}\x1b[0m` : body);
  }

  info(tag: string, message: string): void {
    this.log('I', tag, message);
  }

  warn(tag: string, message: string): void {
    this.log('W', tag, message);
  }

  error(tag: string, message: string): void {
    this.log('E', tag, message);
  }

  async close(): Promise<void> {
    await this.writes;
    await this.pty?.close().catch(() => undefined);
    this.pty = undefined;
    this.lineEmitter.dispose();
  }

  private emit(text: string): void {
    this.lineEmitter.fire({ time: Date.now(), text });
    const pty = this.pty;
    // Ordered writes; a monitor that went away must not take the device down with it.
    if (pty) this.writes = this.writes.then(() => pty.write(`${text}\r\n`)).then(
      () => undefined,
      () => undefined,
    );
  }
}
