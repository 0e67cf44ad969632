import type { ConsoleLine } from './protocol';

/** Lines kept per device: a long boot log and an OTA run survive an hour of poll lines. */
export const keepConsolePerDevice = 2_000;

/** Kinds the log parsers give the lines a device prints while it merely asks for work. */
const chatterKinds = new Set(['poll', 'no-update']);

/** Poll chatter: the parsers read the line as a poll or a "no update" answer. */
export function isPollChatter(line: ConsoleLine): boolean {
  return line.kind !== undefined && chatterKinds.has(line.kind);
}

/**
 * Console lines per device, oldest first, at most `keep` each. Lines arrive in time order from the
 * host; only the history a reloaded view asks for can overlap lines that came in live meanwhile,
 * and that overlap is merged without duplicates.
 */
export class ConsoleBuffer {
  private readonly byDevice = new Map<string, ConsoleLine[]>();
  /** Grows with every line added; a view compares it to know whether to draw. */
  revision = 0;

  constructor(private readonly keep = keepConsolePerDevice) {}

  add(lines: readonly ConsoleLine[]): void {
    const incoming = new Map<string, ConsoleLine[]>();
    for (const l of lines) {
      const list = incoming.get(l.device);
      if (list) list.push(l);
      else incoming.set(l.device, [l]);
    }
    for (const [device, fresh] of incoming) {
      const list = this.byDevice.get(device) ?? [];
      const last = list.at(-1);
      if (!last || fresh.every((l) => l.time > last.time)) list.push(...fresh);
      else mergeInto(list, fresh);
      if (list.length > this.keep) list.splice(0, list.length - this.keep);
      this.byDevice.set(device, list);
    }
    if (lines.length) this.revision++;
  }

  clear(): void {
    this.byDevice.clear();
    this.revision++;
  }

  devices(): string[] {
    return [...this.byDevice.keys()].sort();
  }

  linesOf(device: string): readonly ConsoleLine[] {
    return this.byDevice.get(device) ?? [];
  }

  get size(): number {
    let n = 0;
    for (const list of this.byDevice.values()) n += list.length;
    return n;
  }

  all(): ConsoleLine[] {
    return [...this.byDevice.values()].flat();
  }
}

function mergeInto(list: ConsoleLine[], fresh: readonly ConsoleLine[]): void {
  const key = (l: ConsoleLine) => `${l.time}\u0000${l.text}`;
  const seen = new Set(list.map(key));
  for (const l of fresh) if (!seen.has(key(l))) list.push(l);
  list.sort((a, b) => a.time - b.time);
}
