import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import { channelState, ImageVersionCache, workspaceReleasesRoot, type ChannelState } from '../../core/build/channelState';
import { loadWorkspaceConfig, type LoadedConfig } from '../../core/config/loader';
import type { ConfigDiagnostic } from '../../core/config/diagnostic';
import type { OtaConfig } from '../../core/config/model';
import { describeError } from '../../core/errors';
import type { StoredRelease } from '../../core/release/releaseStore';
import { readWorkspaceReleases } from './releaseNodes';

export type GoodConfig = LoadedConfig & { config: OtaConfig };

/**
 * What the OTA view knows about one workspace folder: the last config that loaded without errors
 * (a broken edit keeps the tree, with the problems on top), the channels' artifact state, the
 * releases made here and whether the configured serial ports exist. Re-read on `invalidate()`.
 */
export class FolderModel {
  /** The newest config without errors; kept while the files have errors. */
  lastGood: GoodConfig | undefined;
  /** Errors of the current files (empty when they load). */
  problems: ConfigDiagnostic[] = [];
  /** A config that could not be read at all (permissions), when there is no last good one either. */
  readError: string | undefined;
  present = true;
  readonly channels = new Map<string, ChannelState>();
  releases: StoredRelease[] = [];
  releaseProblems: string[] = [];
  readonly ports = new Map<string, boolean>();
  private loading: Promise<void> | undefined;
  private dirty = true;
  private readonly images = new ImageVersionCache();

  constructor(readonly folder: string) {}

  invalidate(): void {
    this.dirty = true;
  }

  /** Re-reads what changed since `invalidate()`; concurrent callers share one read. */
  async ensure(): Promise<void> {
    while (this.dirty || this.loading) {
      if (!this.loading) {
        this.dirty = false;
        this.loading = this.read().finally(() => (this.loading = undefined));
      }
      await this.loading;
    }
  }

  private async read(): Promise<void> {
    let loaded: LoadedConfig;
    try {
      loaded = await loadWorkspaceConfig(this.folder);
    } catch (err) {
      if ((err as { code?: string }).code === 'no-config') {
        this.present = false;
        this.lastGood = undefined;
        return;
      }
      this.present = true;
      this.readError = describeError(err);
      return;
    }
    this.present = true;
    this.readError = undefined;
    this.problems = loaded.diagnostics.filter((d) => d.severity === 'error');
    if (loaded.config) this.lastGood = loaded as GoodConfig;
    const good = this.lastGood;
    if (!good) return;
    const root = workspaceReleasesRoot(this.folder);
    const states = await Promise.all(good.config.channels.map(async (c) => [`${c.pid}/${c.name}`, await channelState(c, this.folder, root, this.images)] as const));
    this.channels.clear();
    for (const [key, state] of states) this.channels.set(key, state);
    ({ releases: this.releases, problems: this.releaseProblems } = await readWorkspaceReleases(root, good.config.channels));
    this.ports.clear();
    for (const d of good.config.devices) {
      if (!d.serial?.path) continue;
      const port = path.resolve(this.folder, d.serial.path);
      this.ports.set(port, await stat(port).then(() => true, () => false));
    }
  }
}
