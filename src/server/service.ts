import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../core/logger';
import { productVersion } from '../core/product';
import type { StatusReport } from '../core/protocol/management';
import { Catalog } from './catalog';
import type { ServerSettings } from './context';
import { ServerContext } from './context';
import { EventBus } from './events';
import type { Page } from './paging';
import { defaultPageSize, slicePage } from './paging';
import { Rollouts } from './rollouts';
import { Sessions } from './sessions';
import { Model } from './state/model';
import type { JournalRecord } from './state/records';
import { ArtifactStore } from './storage/artifactStore';
import { EventLog } from './storage/eventLog';
import { Journal } from './storage/journal';
import { Uploads } from './uploads';

const compactAboveBytes = 1024 * 1024;

/** The OTA server without HTTP: state replayed from the data directory, and the operations on it. */
export class OtaService {
  readonly startedAt = new Date().toISOString();

  private constructor(
    readonly ctx: ServerContext,
    readonly uploads: Uploads,
    readonly catalog: Catalog,
    readonly sessions: Sessions,
    readonly rollouts: Rollouts,
    private readonly tls: boolean,
    private readonly eventLog: EventLog,
  ) {}

  static async open(dataDir: string, settings: ServerSettings, log: Logger, tls = false): Promise<OtaService> {
    await mkdir(dataDir, { recursive: true });
    const artifacts = new ArtifactStore(dataDir, log);
    await artifacts.init();
    const model = new Model();
    const journalPath = join(dataDir, 'journal.log');
    const journal = await Journal.open<JournalRecord>(journalPath, (r) => model.apply(r), log);
    const snapshot = model.snapshot();
    if (journal.sizeBytes > compactAboveBytes && journal.replayed > 2 * snapshot.length) {
      // Mostly superseded progress records: rewrite as one record per live object before serving.
      const before = journal.sizeBytes;
      await journal.compact(() => snapshot);
      log.info(`journal compacted from ${before} to ${journal.sizeBytes} bytes (${snapshot.length} records)`);
    }
    // A crash between creating an upload file and journaling it leaves an orphan: nobody was told its id.
    for (const id of await artifacts.listUploads()) if (!model.uploads.has(id)) await rm(join(artifacts.uploadsDir, `${id}.part`), { force: true });
    // Likewise an artifact renamed into place whose release record never made it (nobody was
    // told it exists), or one whose release was deleted just before a crash.
    const referenced = new Set([...model.releases.values()].map((r) => r.sha256));
    for (const sha of await artifacts.listArtifacts()) if (!referenced.has(sha)) await artifacts.removeArtifact(sha);
    const { eventLog, recent } = await EventLog.open(join(dataDir, 'events.log'), 1000, log);
    const ctx = new ServerContext(model, journal, artifacts, new EventBus(recent, (e) => eventLog.append(e)), settings, log);
    const catalog = new Catalog(ctx);
    const sessions = new Sessions(ctx, catalog);
    return new OtaService(ctx, new Uploads(ctx), catalog, sessions, new Rollouts(ctx, catalog, sessions), tls, eventLog);
  }

  /** The status, with one page of devices and sessions (a fleet of thousands must not make one huge answer). */
  status(page: Page = { limit: defaultPageSize, offset: 0 }): StatusReport {
    const m = this.ctx.model;
    return {
      server: {
        version: productVersion,
        startedAt: this.startedAt,
        offlineTimeoutMs: this.ctx.settings.offlineTimeoutMs,
        installTimeoutMs: this.ctx.settings.installTimeoutMs,
        minBandwidthBps: this.ctx.settings.minBandwidthBps,
        tls: this.tls,
      },
      products: m.productList(),
      releases: [...m.releases.values()],
      deployments: [...m.deployments.values()],
      devices: slicePage(m.devices.values(), page),
      sessions: slicePage(m.sessions.values(), page),
      totals: { devices: m.devices.size, sessions: m.sessions.size, ...page },
      rollouts: this.rollouts.list(),
    };
  }

  async close(): Promise<void> {
    this.rollouts.dispose();
    await this.rollouts.settled();
    this.sessions.dispose();
    this.catalog.lastSeen.close();
    await this.ctx.closeJournal();
    await this.eventLog.flush();
  }
}
