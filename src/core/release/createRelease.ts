import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { OtaError } from '../errors';
import type { Channel } from '../config/model';
import { existingArtifactMetadata, runBuild } from '../build/runBuild';
import type { BuildOptions } from '../build/runBuild';
import { loadBuildRecord } from '../build/buildRecord';
import { findArtifact } from '../build/findArtifact';
import { moveDurably, writeAtomically } from '../files/atomicOutput';
import { StreamDigests } from '../hashing/streamDigests';
import type { Digests } from '../hashing/streamDigests';
import { restampEspIdfImage } from '../image/espIdfRestamp';
import { inspectImage } from '../image/inspectImage';
import type { ImageInfo } from '../image/inspectImage';
import { parseMcubootVersion } from '../image/mcubootVersion';
import { readImageFile } from '../image/readImageFile';
import type { Logger } from '../logger';
import type { SigningKey } from '../signing/loadKey';
import { restampMcubootImage } from '../signing/mcubootRestamp';
import { signMcubootImage } from '../signing/mcubootSign';
import { guardTestKey } from '../signing/testKeys';
import { readChannelLabel } from '../version/channelVersion';
import { embeddedVersionForLabel, predictDevice } from '../version/deviceAcceptance';
import type { DevicePrediction, RunningVersion } from '../version/deviceAcceptance';
import { bumpSemver, compareSemver, formatSemver, requireSemver } from '../version/semver';
import { embeddedVersionOf } from '../verify/verifyFirmware';
import { manifestSchema } from './manifest';
import type { BuildMetadata, ReleaseKind, ReleaseManifest } from './manifest';
import { channelReleaseDir, listReleases, manifestFileName } from './releaseStore';
import type { StoredRelease } from './releaseStore';
import { signManifest } from './signManifest';

export type ReleaseMode = { kind: 'release' } | { kind: 'stress' } | { kind: 'rollback'; from: string };

export interface CreateReleaseOptions {
  channel: Channel;
  folder: string;
  releasesRoot: string;
  mode: ReleaseMode;
  /** Write the label into the image (and re-sign) so devices comparing embedded versions accept it. */
  restamp: boolean;
  label?: string;
  /** Run the channel's build first (normal releases only). */
  build: boolean;
  key: SigningKey;
  production: boolean;
  hmacSecret?: Buffer;
  /** What devices run now, when not the latest release (e.g. a fleet that never got it). */
  running?: RunningVersion;
  buildOptions: BuildOptions;
  log: Logger;
}

export interface CreatedRelease {
  manifest: ReleaseManifest;
  dir: string;
  artifactPath: string;
  manifestPath: string;
  source: string;
  /** The embedded version of the source image, before any re-stamp. */
  sourceEmbeddedVersion?: string;
  restamped: boolean;
  running?: RunningVersion;
  /** How devices treat the release as written. */
  prediction: DevicePrediction;
  /** How they would treat it with --restamp, when that differs (offered to the user). */
  withRestamp?: DevicePrediction;
}

interface Source {
  path: string;
  bytes: Buffer;
  info: ImageInfo;
  metadata: BuildMetadata;
}

async function loadSource(options: CreateReleaseOptions, releases: StoredRelease[]): Promise<Source> {
  const { channel, folder, mode } = options;
  const fromRelease = async (release: StoredRelease): Promise<Source> => {
    const { bytes } = await readImageFile(release.artifactPath);
    return { path: release.artifactPath, bytes, info: inspectImage(bytes, release.artifactPath), metadata: release.manifest.build ?? (await existingArtifactMetadata(bytes.length, Date.now(), folder)) };
  };
  if (mode.kind === 'stress') {
    const latest = releases.at(-1);
    if (!latest) throw new OtaError(`channel ${channel.name} has no release yet to stress-test with`, { where: channelReleaseDir(options.releasesRoot, channel.pid, channel.name), hint: `Create one first: ota release create --channel ${channel.name}`, code: 'release-missing' });
    return fromRelease(latest);
  }
  if (mode.kind === 'rollback') {
    const from = releases.find((r) => r.manifest.label === mode.from || r.manifest.label === mode.from.replace(/^v/, ''));
    if (!from) {
      throw new OtaError(`channel ${channel.name} has no release ${mode.from} to roll back to`, {
        where: channelReleaseDir(options.releasesRoot, channel.pid, channel.name),
        hint: `Known releases: ${releases.map((r) => r.manifest.label).join(', ') || 'none'}.`,
        code: 'release-missing',
      });
    }
    return fromRelease(from);
  }
  let path: string;
  let metadata: BuildMetadata;
  if (options.build) {
    const built = await runBuild(channel, folder, options.buildOptions);
    path = built.artifact;
    metadata = built.metadata;
  } else {
    const found = await findArtifact(channel, folder, options.buildOptions.signal);
    path = found.path;
    metadata = (await loadBuildRecord(folder, channel, found)) ?? (await existingArtifactMetadata(found.size, found.mtimeMs, folder));
  }
  const { bytes } = await readImageFile(path);
  return { path, bytes, info: inspectImage(bytes, path), metadata };
}

/** Stress and rollback releases go out under the next patch label above every release so far. */
function nextLabel(releases: StoredRelease[]): string {
  const highest = releases.map((r) => requireSemver(r.manifest.label)).sort(compareSemver).at(-1);
  return highest ? formatSemver(bumpSemver(highest, 'patch')) : '0.0.1';
}

/**
 * Makes a release: build output (or an earlier release, for stress and rollback) → the image the
 * device gets (signed / re-stamped as needed) → a signed manifest, written as one directory that
 * appears by rename. Also predicts what a device will report and whether it would refuse.
 */
export async function createRelease(options: CreateReleaseOptions): Promise<CreatedRelease> {
  const { channel, mode, key } = options;
  guardTestKey(key, options.production, options.log);
  const channelDir = channelReleaseDir(options.releasesRoot, channel.pid, channel.name);
  const releases = await listReleases(channelDir);
  const source = await loadSource(options, releases);
  checkFormat(channel, source);
  const sourceEmbedded = embeddedVersionOf(source.info);
  const label =
    options.label ??
    (mode.kind === 'release'
      ? (await readChannelLabel(channel, options.folder, sourceEmbedded)).label
      : nextLabel(releases));
  requireSemver(label, 'release label');
  if (releases.some((r) => r.manifest.label === label)) {
    throw new OtaError(`channel ${channel.name} already has a release ${label}`, { where: join(channelDir, label), hint: `Bump the version (ota version bump patch --channel ${channel.name}) or pass --label.`, code: 'release-exists' });
  }
  // Devices run the newest release they accepted: one predicted to be refused never got installed.
  const latest = releases.filter((r) => r.manifest.deviceRefusal === undefined).at(-1);
  const running: RunningVersion | undefined =
    options.running ??
    (latest ? { embeddedVersion: latest.manifest.embeddedVersion, ...(latest.manifest.secureVersion !== undefined ? { secureVersion: latest.manifest.secureVersion } : {}), source: `latest accepted release ${latest.manifest.label}` } : undefined);

  await mkdir(channelDir, { recursive: true });
  const temp = await mkdtemp(join(channelDir, `.${label}.`));
  try {
    const fileName = `${channel.name}-${label}.bin`;
    const artifactPath = join(temp, fileName);
    const made = await produceImage(options, source, label, running, artifactPath);
    const prediction = predictDevice(channel.format, made.version, label, running);
    const withRestamp = !made.restamped && channel.format !== 'raw' && prediction.refused ? predictRestamped(channel.format, source, label, running) : undefined;
    const manifest = signManifest(
      {
        schema: manifestSchema,
        label,
        embeddedVersion: made.version.embeddedVersion,
        ...(made.version.secureVersion !== undefined ? { secureVersion: made.version.secureVersion } : {}),
        format: channel.format,
        kind: mode.kind as ReleaseKind,
        pid: channel.pid,
        firmwareKey: channel.firmwareKey,
        channel: channel.name,
        file: fileName,
        size: made.digests.size,
        md5: made.digests.md5,
        sha256: made.digests.sha256,
        ...(made.digests.hmacSha256 ? { hmacSha256: made.digests.hmacSha256 } : {}),
        build: source.metadata,
        ...(prediction.refused ? { deviceRefusal: prediction.rules.filter((r) => !r.accepts).map((r) => `${r.rule}: ${r.reason}`).join('; ') } : {}),
        createdAt: new Date().toISOString(),
      },
      key,
    );
    await writeAtomically(join(temp, manifestFileName), (out) => out.write(Buffer.from(JSON.stringify(manifest, null, 2) + '\n')));
    const dir = join(channelDir, label);
    await moveDurably(temp, dir);
    return {
      manifest,
      dir,
      artifactPath: join(dir, fileName),
      manifestPath: join(dir, manifestFileName),
      source: source.path,
      ...(sourceEmbedded !== undefined ? { sourceEmbeddedVersion: sourceEmbedded } : {}),
      restamped: made.restamped,
      ...(running ? { running } : {}),
      prediction,
      ...(withRestamp ? { withRestamp } : {}),
    };
  } catch (err) {
    await rm(temp, { recursive: true, force: true });
    throw err;
  }
}

function checkFormat(channel: Channel, source: Source): void {
  const found = source.info.format;
  const ok = found === channel.format || (channel.format === 'mcuboot' && found === 'raw');
  if (!ok) {
    throw new OtaError(`channel ${channel.name} is ${channel.format}, but ${source.path} is ${found === 'raw' ? 'not an image the tool recognises' : `an ${found} image`}`, {
      where: source.path,
      hint: 'Fix "format" or "artifact" of the channel in .vscode/ota.json.',
      code: 'artifact-format',
    });
  }
}

interface MadeImage {
  version: { embeddedVersion: string; secureVersion?: number };
  digests: Digests;
  restamped: boolean;
}

async function produceImage(options: CreateReleaseOptions, source: Source, label: string, running: RunningVersion | undefined, output: string): Promise<MadeImage> {
  const { channel, key } = options;
  const info = source.info;
  const signal = options.buildOptions.signal;
  if (channel.format === 'mcuboot' && info.format === 'raw') {
    // Unsigned build output: signing stamps the label, so there is nothing to re-stamp.
    const signed = await signMcubootImage({
      input: source.path,
      inputBytes: source.bytes,
      output,
      key,
      version: parseMcubootVersion(embeddedVersionForLabel('mcuboot', label)),
      headerSize: 0x200,
      padHeader: true,
      ...(channel.signing?.securityCounter !== undefined ? { securityCounter: channel.signing.securityCounter } : {}),
      ...(options.hmacSecret ? { hmacSecret: options.hmacSecret } : {}),
      ...(signal ? { signal } : {}),
    });
    return { version: { embeddedVersion: signed.version }, digests: signed.file, restamped: false };
  }
  if (options.restamp && info.format === 'mcuboot') {
    const signed = await restampMcubootImage({
      bytes: source.bytes,
      file: source.path,
      output,
      version: parseMcubootVersion(embeddedVersionForLabel('mcuboot', label)),
      key,
      ...(options.hmacSecret ? { hmacSecret: options.hmacSecret } : {}),
      ...(signal ? { signal } : {}),
    });
    return { version: { embeddedVersion: signed.version }, digests: signed.file, restamped: true };
  }
  if (options.restamp && info.format === 'esp-idf') {
    const current = info.appDescription?.secureVersion ?? 0;
    const secureVersion = Math.max(current, running?.secureVersion ?? 0);
    const { bytes, image } = restampEspIdfImage(source.bytes, source.path, { version: label, secureVersion });
    return { version: espVersion(image), digests: await writeWithDigests(output, bytes, options.hmacSecret), restamped: true };
  }
  if (options.restamp) {
    throw new OtaError('a raw image has no embedded version to re-stamp', { where: source.path, hint: 'Drop --restamp: devices cannot compare versions inside a raw image.', code: 'restamp-unsupported' });
  }
  const digests = await writeWithDigests(output, source.bytes, options.hmacSecret);
  if (info.format === 'esp-idf') return { version: espVersion(info), digests, restamped: false };
  if (info.format === 'mcuboot') return { version: { embeddedVersion: info.versionText }, digests, restamped: false };
  return { version: { embeddedVersion: label }, digests, restamped: false };
}

function espVersion(image: Extract<ImageInfo, { format: 'esp-idf' }>): { embeddedVersion: string; secureVersion?: number } {
  const desc = image.appDescription;
  return { embeddedVersion: desc?.version ?? '', ...(desc ? { secureVersion: desc.secureVersion } : {}) };
}

function predictRestamped(format: Channel['format'], source: Source, label: string, running: RunningVersion | undefined): DevicePrediction {
  const secure = source.info.format === 'esp-idf' ? Math.max(source.info.appDescription?.secureVersion ?? 0, running?.secureVersion ?? 0) : undefined;
  return predictDevice(format, { embeddedVersion: embeddedVersionForLabel(format, label), ...(secure !== undefined ? { secureVersion: secure } : {}) }, label, running);
}

/** Writes bytes already in memory and hashes them in the same loop (one pass). */
async function writeWithDigests(path: string, bytes: Buffer, hmacSecret?: Buffer): Promise<Digests> {
  const digests = new StreamDigests(hmacSecret);
  digests.update(bytes);
  await writeAtomically(path, (out) => out.write(bytes));
  const written = await stat(path);
  if (written.size !== bytes.length) throw new OtaError('the release artifact was not written completely', { where: path, code: 'release-store' });
  return digests.finish();
}
