import { dirname, join, resolve } from 'node:path';
import type { Channel } from '../config/model';
import { describeError } from '../errors';
import { inspectImage, type ImageFormat } from '../image/inspectImage';
import { readImageFile } from '../image/readImageFile';
import { channelReleaseDir, listReleases } from '../release/releaseStore';
import { readChannelLabel } from '../version/channelVersion';
import { embeddedVersionOf } from '../verify/verifyFirmware';
import { findArtifact } from './findArtifact';
import { newestSource, type NewestSource } from './newestSource';

/** What the OTA view says about a channel: is it built, what is inside, what would be released next. */
export interface ChannelState {
  artifact?: { path: string; size: number; mtimeMs: number };
  /** Why there is no artifact (no file matches the pattern, an unreadable file). */
  artifactProblem?: string;
  format?: ImageFormat;
  embeddedVersion?: string;
  /** The label Create Release would use now, from the channel's version source. */
  nextLabel?: string;
  labelProblem?: string;
  /** A release with `nextLabel` exists already: bump before releasing. */
  released?: boolean;
  /** A source file newer than the artifact (the build is out of date). */
  newerSource?: NewestSource;
  /** The bounded walk found nothing newer but stopped early. */
  staleUnknown?: boolean;
}

/**
 * Reads one channel's state from disk: the newest artifact, its embedded version (read once per
 * artifact file version, `cache`), the next release label and whether a source file is newer than
 * the artifact (a bounded walk of the build folder, see newestSource).
 */
export async function channelState(channel: Channel, folder: string, releasesRoot: string, cache: ImageVersionCache, signal?: AbortSignal): Promise<ChannelState> {
  const state: ChannelState = {};
  try {
    state.artifact = await findArtifact(channel, folder, signal);
  } catch (err) {
    state.artifactProblem = describeError(err).split('\n')[0];
  }
  if (state.artifact) {
    try {
      const image = await cache.read(state.artifact);
      state.format = image.format;
      if (image.embeddedVersion !== undefined) state.embeddedVersion = image.embeddedVersion;
    } catch (err) {
      state.artifactProblem = describeError(err).split('\n')[0];
    }
    const sources = resolve(folder, channel.build?.cwd ?? '.');
    const newest = await newestSource(sources, { exclude: [dirname(state.artifact.path)], ...(signal ? { signal } : {}) });
    if (newest && newest.mtimeMs > state.artifact.mtimeMs) state.newerSource = newest;
    else if (newest?.truncated) state.staleUnknown = true;
  }
  try {
    state.nextLabel = (await readChannelLabel(channel, folder, state.embeddedVersion)).label;
    const releases = await listReleases(channelReleaseDir(releasesRoot, channel.pid, channel.name));
    state.released = releases.some((r) => r.manifest.label === state.nextLabel);
  } catch (err) {
    state.labelProblem = describeError(err).split('\n')[0];
  }
  return state;
}

/** Where the workspace's releases live (`ota release create`'s default, the Create Release command's). */
export function workspaceReleasesRoot(folder: string): string {
  return join(folder, '.ota', 'releases');
}

/** The format and embedded version of artifact files, read once per path, size and modification time. */
export class ImageVersionCache {
  private readonly entries = new Map<string, { key: string; value: { format: ImageFormat; embeddedVersion: string | undefined } }>();

  async read(file: { path: string; size: number; mtimeMs: number }): Promise<{ format: ImageFormat; embeddedVersion: string | undefined }> {
    const key = `${file.size}:${file.mtimeMs}`;
    const hit = this.entries.get(file.path);
    if (hit?.key === key) return hit.value;
    const { bytes } = await readImageFile(file.path);
    const info = inspectImage(bytes, file.path);
    const value = { format: info.format, embeddedVersion: embeddedVersionOf(info) };
    this.entries.set(file.path, { key, value });
    return value;
  }
}
