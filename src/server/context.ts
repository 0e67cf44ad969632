import { OtaError } from '../core/errors';
import type { Logger } from '../core/logger';
import type { EventBus } from './events';
import type { Model } from './state/model';
import type { JournalRecord } from './state/records';
import type { ArtifactStore } from './storage/artifactStore';
import type { Journal } from './storage/journal';

export interface ServerSettings {
  /** A session whose device is silent this long is failed (the seed's 60 s). */
  offlineTimeoutMs: number;
  /**
   * Once the download is complete the device may be silent this long while it installs, reboots
   * and self-tests (the seed: it goes offline while updating and comes back by itself).
   */
  installTimeoutMs: number;
  /** Transfers slower than this are flagged (the seed's 20 kbps). */
  minBandwidthBps: number;
  /** Largest artifact accepted, bytes. */
  maxArtifactBytes: number;
  /** What DDI clients are told to sleep between polls, seconds. */
  pollingSleepSec: number;
  /** A device's contact is announced as a `device.seen` event at most this often, ms. */
  seenEventIntervalMs: number;
}

export const defaultSettings: ServerSettings = {
  offlineTimeoutMs: 60_000,
  installTimeoutMs: 300_000,
  minBandwidthBps: 20_000,
  maxArtifactBytes: 256 * 1024 * 1024,
  pollingSleepSec: 20,
  seenEventIntervalMs: 5_000,
};

/** The pieces every part of the server shares. `record` is the one way to change state. */
export class ServerContext {
  constructor(
    readonly model: Model,
    private readonly journal: Journal<JournalRecord>,
    readonly artifacts: ArtifactStore,
    readonly events: EventBus,
    readonly settings: ServerSettings,
    readonly log: Logger,
  ) {}

  /**
   * Journals the record, then applies it. With `durable` the promise resolves only after the
   * record is on disk: answer the client after that, never before.
   */
  async record(record: JournalRecord, durable = true): Promise<void> {
    await this.journal.append(record, durable).catch(diskFull);
    this.model.apply(record);
  }

  /**
   * For records about live objects (sessions) that other code keeps mutating: apply first so
   * the in-memory object never goes back to an older snapshot, then wait for the disk.
   */
  async applyThenRecord(record: JournalRecord): Promise<void> {
    this.model.apply(record);
    await this.journal.append(record, true).catch(diskFull);
  }

  /** For state that may be a little stale after a crash (progress counters): apply now, write soon. */
  recordLazily(record: JournalRecord): void {
    this.model.apply(record);
    this.journal.append(record, false).catch((err: unknown) => this.log.warn(`journal write failed: ${String(err)}`));
  }

  closeJournal(): Promise<void> {
    return this.journal.close();
  }
}

/** A journal that cannot grow means nothing can be acknowledged: say so instead of a bare 500. */
function diskFull(err: unknown): never {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EFBIG' || code === 'EDQUOT') {
    throw new OtaError(`the server cannot record changes: no space left for its journal (${code})`, {
      code: 'disk-full',
      hint: 'free disk space in the server data directory; nothing of this request was kept',
      cause: err,
    });
  }
  throw err;
}
