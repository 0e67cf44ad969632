/** One line received from a device, decoded for display (ANSI colour codes kept). */
export interface ReceivedLine {
  /** Host time the line was completed, ms since the epoch. */
  time: number;
  text: string;
  /** The device sent more than `maxLineBytes` without a newline; this is one slice of it. */
  truncated?: boolean;
}

/**
 * Turns the arbitrary chunks a serial port delivers into whole lines. A chunk may end mid-line or
 * mid-UTF-8-sequence, so bytes are kept until the newline and decoded then; a device that never
 * sends a newline (binary garbage, a wrong baud rate) cannot grow the buffer past `maxLineBytes`.
 */
export class LineAssembler {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });

  constructor(
    private readonly onLine: (line: ReceivedLine) => void,
    private readonly maxLineBytes = 64 * 1024,
    private readonly now: () => number = Date.now,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      const end = nl < 0 ? chunk.length : nl;
      this.append(chunk.subarray(start, end));
      if (nl < 0) return;
      this.emit(false);
      start = nl + 1;
    }
  }

  /** Emits what is left (a prompt without newline, or the tail when the port closes). */
  flush(): void {
    if (this.pendingBytes > 0) this.emit(false);
  }

  private append(bytes: Buffer): void {
    let offset = 0;
    while (offset < bytes.length) {
      const room = this.maxLineBytes - this.pendingBytes;
      const slice = bytes.subarray(offset, offset + room);
      this.pending.push(slice);
      this.pendingBytes += slice.length;
      offset += slice.length;
      if (this.pendingBytes >= this.maxLineBytes) this.emit(true);
    }
  }

  private emit(truncated: boolean): void {
    let bytes = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    if (!truncated && bytes.length > 0 && bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, bytes.length - 1);
    const text = this.decoder.decode(bytes);
    this.onLine(truncated ? { time: this.now(), text, truncated } : { time: this.now(), text });
  }
}
