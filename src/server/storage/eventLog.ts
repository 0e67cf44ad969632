import { open, readFile, rename } from 'node:fs/promises';
import type { ServerEvent } from '../../core/protocol/management';
import type { Logger } from '../../core/logger';

/**
 * The event history on disk (`events.log`, JSON lines), so the live view and `Last-Event-ID`
 * reconnects see what happened before a restart. Events describe state the journal already
 * holds, so they are written lazily (no fsync) and a torn last line is simply skipped. The file
 * is rotated to `events.log.1` past `maxBytes`.
 */
export class EventLog {
  private queue: ServerEvent[] = [];
  private writing: Promise<void> | undefined;

  private constructor(
    private readonly path: string,
    private size: number,
    private readonly maxBytes: number,
    private readonly log: Logger,
  ) {}

  /** Opens the log and returns it with the last `keep` events it holds. */
  static async open(path: string, keep: number, log: Logger, maxBytes = 4 * 1024 * 1024): Promise<{ eventLog: EventLog; recent: ServerEvent[] }> {
    let recent: ServerEvent[] = [];
    let size = 0;
    try {
      const text = await readFile(path, 'utf8');
      size = Buffer.byteLength(text);
      for (const line of text.split('\n')) {
        if (!line) continue;
        try {
          recent.push(JSON.parse(line) as ServerEvent);
        } catch {
          // A line cut by a crash: the events around it are still good.
        }
      }
      recent = recent.slice(-keep);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    return { eventLog: new EventLog(path, size, maxBytes, log), recent };
  }

  append(event: ServerEvent): void {
    this.queue.push(event);
    this.writing ??= this.drain().finally(() => (this.writing = undefined));
  }

  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      const data = Buffer.from(batch.map((e) => `${JSON.stringify(e)}\n`).join(''));
      try {
        if (this.size + data.length > this.maxBytes && this.size > 0) {
          await rename(this.path, `${this.path}.1`);
          this.size = 0;
        }
        const h = await open(this.path, 'a');
        try {
          // Only this object appends to the file, so its size is known without a stat per batch.
          const { bytesWritten } = await h.write(data);
          this.size += bytesWritten;
        } finally {
          await h.close();
        }
      } catch (err) {
        this.log.warn(`could not write ${this.path}: ${String(err)}`);
      }
    }
  }
}
