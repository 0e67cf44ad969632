import { OtaError } from '../core/errors';
import type { Logger } from '../core/logger';
import type { EventBus } from './events';
import { KeyedLock } from './keyedLock';
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
  /** Devices the server will know at most; new ids past it get a 429. */
  maxDevices: number;
  /** New device ids accepted per minute (a flood of made-up ids gets a 429). */
  newDevicesPerMinute: number;
  /**
   * A request whose headers or body stall this long between bytes is cut (a slow device at
   * 20 kbps still sends a packet every few milliseconds; a stalled one holds a socket forever).
   */
  idleTimeoutMs: number;
  /** Rollouts kept at most, finished ones included (delete old ones to make room). */
  maxRollouts: number;
  /** Groups one rollout may have at most. */
  maxRolloutGroups: number;
}

export const defaultSettings: ServerSettings = {
  offlineTimeoutMs: 60_000,
  installTimeoutMs: 300_000,
  minBandwidthBps: 20_000,
  maxArtifactBytes: 256 * 1024 * 1024,
  pollingSleepSec: 20,
  seenEventIntervalMs: 5_000,
  maxDevices: 10_000,
  // A fleet of 2,000 switched on together must get in; 20,000 made-up ids in seconds must not.
  newDevicesPerMinute: 3_000,
  idleTimeoutMs: 30_000,
  maxRollouts: 100,
  maxRolloutGroups: 100,
};

/** The pieces every part of the server shares. `record` is the one way to change state. */
export class ServerContext {
  /** The journal's size after its last compaction: it is compacted again once it doubles. */
  private compactedBytes: number;
  /**
   * Held, per sha256, while a release of those bytes is recorded or deleted: whether a file is
   * still needed is decided in the same section that changes who needs it.
   */
  readonly contentLock = new KeyedLock();

  constructor(
    readonly model: Model,
    private readonly journal: Journal<JournalRecord>,
    readonly artifacts: ArtifactStore,
    readonly events: EventBus,
    readonly settings: ServerSettings,
    readonly log: Logger,
  ) {
    this.compactedBytes = journal.sizeBytes;
  }

  /**
   * Journals the record, then applies it. With `durable` the promise resolves only after the
   * record is on disk: answer the client after that, never before.
   */
  async record(record: JournalRecord, durable = true): Promise<void> {
    await this.journal.append(record, durable).catch(diskFull);
    this.model.apply(record);
    this.compactIfGrown();
  }

  /**
   * For records about live objects (sessions) that other code keeps mutating: apply first so
   * the in-memory object never goes back to an older snapshot, then wait for the disk.
   */
  async applyThenRecord(record: JournalRecord): Promise<void> {
    this.model.apply(record);
    await this.journal.append(record, true).catch(diskFull);
    this.compactIfGrown();
  }

  /** For state that may be a little stale after a crash (progress counters): apply now, write soon. */
  recordLazily(record: JournalRecord, onLost?: () => void): void {
    this.model.apply(record);
    this.journal.append(record, false).then(
      () => this.compactIfGrown(),
      (err: unknown) => {
        onLost?.();
        this.log.warn(`journal write failed: ${String(err)}`);
      },
    );
  }

  /**
   * Keeps the journal's size proportional to the live state: once the records since the last
   * compaction outweigh it (and pass a floor, so a small journal is left alone), it is rewritten
   * as a snapshot. Progress records and repeated reports then never pile up into gigabytes.
   */
  private compactIfGrown(): void {
    const size = this.journal.sizeBytes;
    if (this.journal.isCompacting || size < Math.max(compactFloorBytes, 2 * this.compactedBytes)) return;
    this.journal.compact(() => this.model.snapshot()).then(
      () => {
        this.log.info(`journal compacted from ${size} to ${this.journal.sizeBytes} bytes`);
        this.compactedBytes = this.journal.sizeBytes;
      },
      (err: unknown) => {
        // Try again once it has doubled once more, not on every record (a full disk fails each time).
        this.compactedBytes = size;
        this.log.warn(`journal compaction failed (the journal keeps growing until the next try): ${String(err)}`);
      },
    );
  }

  closeJournal(): Promise<void> {
    return this.journal.close();
  }
}

/** Below this the journal is never compacted while serving (start-up compacts past 1 MiB). */
const compactFloorBytes = 4 * 1024 * 1024;

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
