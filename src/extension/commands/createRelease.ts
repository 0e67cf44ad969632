import * as vscode from 'vscode';
import { join } from 'node:path';
import { judgeFreshness, newestSourceFile } from '../../core/build/artifactFreshness';
import type { Freshness } from '../../core/build/artifactFreshness';
import { findArtifact } from '../../core/build/findArtifact';
import type { Channel } from '../../core/config/model';
import { resolveInFolder } from '../../core/config/paths';
import { inspectImage } from '../../core/image/inspectImage';
import { readImageFile } from '../../core/image/readImageFile';
import { createRelease as createReleaseCore } from '../../core/release/createRelease';
import type { CreatedRelease, ReleaseMode } from '../../core/release/createRelease';
import { channelReleaseDir, listReleases } from '../../core/release/releaseStore';
import { readKeySource } from '../../core/signing/keySource';
import type { SigningKey } from '../../core/signing/loadKey';
import { testKeyName } from '../../core/signing/testKeys';
import { readChannelLabel } from '../../core/version/channelVersion';
import { releaseLabelProblem, suggestReleaseLabel } from '../../core/version/releaseLabel';
import { embeddedVersionOf } from '../../core/verify/verifyFirmware';
import type { ExtensionServices } from '../context';
import { withCancellableProgress } from '../firmware/cancellableProgress';
import { loadPem, pickSigningKey } from '../firmware/signingKeyStore';
import { buildChannel } from './buildFirmware';
import { targetOf } from './commandTarget';
import { pickChannel, pickWorkspace } from './pickTarget';
import type { Workspace } from './pickTarget';
import { reportFailure } from './reportFailure';
import { StepFlow } from './steps';

/** The channel's configured key from SecretStorage / env / file, else one the user picks. */
async function channelKey(services: ExtensionServices, channel: Channel, folder: string): Promise<SigningKey | undefined> {
  const signing = channel.signing;
  if (signing?.keyRef) return loadPem(signing.keyRef.text, await services.secrets.resolve(signing.keyRef, `channel ${channel.name} signing.key`));
  if (signing) return loadPem(signing.key, (await readKeySource(resolveInFolder(folder, signing.key), process.env, folder)).pem);
  return pickSigningKey(services);
}

interface Artifact {
  path: string;
  mtimeMs: number;
  embedded?: string;
  freshness: Freshness;
}

/** The channel's current build output with its embedded version and whether sources changed since; undefined when there is none. */
async function currentArtifact(channel: Channel, folder: string): Promise<Artifact | undefined> {
  const found = await findArtifact(channel, folder).catch(() => undefined);
  if (!found) return undefined;
  const newest = await newestSourceFile(folder, found.path);
  const { bytes } = await readImageFile(found.path);
  const embedded = embeddedVersionOf(inspectImage(bytes, found.path));
  return { path: found.path, mtimeMs: found.mtimeMs, ...(embedded !== undefined ? { embedded } : {}), freshness: judgeFreshness(found.mtimeMs, newest ? [newest] : []) };
}

function ago(ms: number): string {
  const minutes = Math.round((Date.now() - ms) / 60_000);
  if (minutes < 1) return vscode.l10n.t('just now');
  if (minutes < 120) return vscode.l10n.t('{0} min ago', minutes);
  return new Date(ms).toLocaleString();
}

/**
 * OTA: Create Release — build output → signed release + manifest, or a stress / rollback release
 * of earlier bytes, as `ota release create` does. Uses the existing artifact when it is newer than
 * its sources (offered, with rebuilding as the other choice) and otherwise builds first as a task;
 * the label is asked, pre-filled from the version inside the image.
 */
export async function createRelease(services: ExtensionServices, arg?: unknown): Promise<CreatedRelease | undefined> {
  const target = targetOf(arg);
  const flow = new StepFlow(vscode.l10n.t('OTA: Create Release'), 6);
  let workspace: Workspace | undefined;
  try {
    workspace = await pickWorkspace(flow, target);
    if (!workspace) return undefined;
    const folder = workspace.folder;
    const channel = await pickChannel(flow, workspace, target, vscode.l10n.t('Channel to release'));
    if (!channel) return undefined;
    const releasesRoot = join(folder, '.ota', 'releases');
    const releases = await listReleases(channelReleaseDir(releasesRoot, channel.pid, channel.name));
    const released = releases.map((r) => r.manifest.label);

    let mode: ReleaseMode = { kind: 'release' };
    if (releases.length) {
      const picked = await flow.pick(
        [
          { label: vscode.l10n.t('Release'), detail: vscode.l10n.t('the current firmware, signed and described'), mode: { kind: 'release' } as ReleaseMode },
          { label: vscode.l10n.t('Stress test'), detail: vscode.l10n.t("release {0}'s image again under the next label", releases.at(-1)!.manifest.label), mode: { kind: 'stress' } as ReleaseMode },
          ...releases.slice(0, -1).map((r) => ({
            label: vscode.l10n.t('Roll back to {0}', r.manifest.label),
            detail: vscode.l10n.t("release {0}'s image (embedded {1}) under a higher label", r.manifest.label, r.manifest.embeddedVersion),
            mode: { kind: 'rollback', from: r.manifest.label } as ReleaseMode,
          })),
        ],
        vscode.l10n.t('What kind of release?'),
      );
      if (!picked) return undefined;
      mode = picked.mode;
    } else flow.skip();

    let embedded: string | undefined;
    let label: string | undefined;
    if (mode.kind === 'release') {
      const source = await chooseSource(services, flow, workspace, channel);
      if (!source) return undefined;
      embedded = source.embedded;
      const channelLabel = await readChannelLabel(channel, folder, embedded).then(
        (l) => l.label,
        () => undefined,
      );
      label = await flow.input({
        prompt: embedded
          ? vscode.l10n.t('Release label (semver). The image says {0}: devices will report that.', embedded)
          : vscode.l10n.t('Release label (semver)'),
        value: suggestReleaseLabel({ ...(embedded ? { embedded } : {}), ...(channelLabel ? { channelLabel } : {}), released }),
        validate: (text) => labelMessage(releaseLabelProblem(text, released), channel.name),
      });
      if (label === undefined) return undefined;
      label = label.trim();
    } else flow.skip();

    let restamp = false;
    if (mode.kind !== 'release' || (embedded !== undefined && label !== embedded)) {
      const picked = await flow.pick(
        [
          { label: vscode.l10n.t('Keep the embedded version'), detail: vscode.l10n.t('the device reports the version inside the image, which may differ from the label'), restamp: false },
          { label: vscode.l10n.t('Re-stamp the label into the image'), detail: vscode.l10n.t('write the label as the embedded version (and re-sign) so devices that compare versions accept it'), restamp: true },
        ],
        vscode.l10n.t('The label differs from the version inside the image'),
      );
      if (!picked) return undefined;
      restamp = picked.restamp;
    } else flow.skip();

    const key = await channelKey(services, channel, folder);
    if (!key) return undefined;
    if (testKeyName(key.keyId)) void vscode.window.showWarningMessage(vscode.l10n.t('Channel {0} is signed with a public MCUboot test key ({1}): never ship this release.', channel.name, key.label));
    const release = await withCancellableProgress(vscode.l10n.t('Creating release {0} of {1}', label ?? '', channel.name), (signal, onProgress) => {
      onProgress({ message: vscode.l10n.t('signing…') });
      return createReleaseCore({
        channel,
        folder,
        releasesRoot,
        mode,
        restamp,
        ...(label ? { label } : {}),
        build: false,
        key,
        production: false,
        buildOptions: { env: process.env, signal, log: services.log },
        log: services.log,
      });
    });
    announce(services, folder, channel, release);
    services.tree.refresh();
    return release;
  } catch (err) {
    reportFailure(services, vscode.l10n.t('Create Release failed'), err, workspace ? { folder: workspace.folder } : {});
    return undefined;
  }
}

/**
 * Where the release's image comes from: the existing artifact when it is newer than every source
 * (offered first, with "build again" as the other choice), otherwise a build run first.
 */
async function chooseSource(services: ExtensionServices, flow: StepFlow, workspace: Workspace, channel: Channel): Promise<{ path: string; embedded?: string } | undefined> {
  const existing = await currentArtifact(channel, workspace.folder);
  const canBuild = channel.build !== undefined;
  if (existing && (existing.freshness.fresh || !canBuild)) {
    if (!canBuild) {
      flow.skip();
      return existing;
    }
    const picked = await flow.pick(
      [
        {
          label: vscode.l10n.t('Use the existing artifact'),
          description: existing.embedded ? vscode.l10n.t('embedded version {0}', existing.embedded) : '',
          detail: vscode.l10n.t('{0}, built {1}; no source changed since', vscode.workspace.asRelativePath(existing.path), ago(existing.mtimeMs)),
          build: false,
        },
        { label: vscode.l10n.t('Build first'), detail: channel.build?.command ?? '', build: true },
      ],
      vscode.l10n.t('Image to release'),
    );
    if (!picked) return undefined;
    if (!picked.build) return existing;
  } else {
    flow.skip();
    if (existing && !existing.freshness.fresh) {
      services.log.info(`${existing.path} is older than ${existing.freshness.newestSource.path}: building ${channel.name} first`);
    }
  }
  const run = await buildChannel(services, workspace, channel);
  if (!run?.ok) return undefined;
  const again = await currentArtifact(channel, workspace.folder);
  return again ?? { path: run.artifact };
}

function labelMessage(problem: ReturnType<typeof releaseLabelProblem>, channel: string): string | undefined {
  switch (problem) {
    case undefined:
      return undefined;
    case 'empty':
      return vscode.l10n.t('Type a release label, e.g. 1.2.0.');
    case 'not-semver':
      return vscode.l10n.t('A release label is a semantic version: MAJOR.MINOR.PATCH, e.g. 1.2.0.');
    case 'exists':
      return vscode.l10n.t('Channel {0} already has a release with this label: pick a higher one or bump the version.', channel);
  }
}

function announce(services: ExtensionServices, folder: string, channel: Channel, release: CreatedRelease): void {
  const p = release.prediction;
  services.log.info(`release ${release.manifest.label} of ${channel.name}: ${release.artifactPath}; device will report ${p.willReport}`);
  for (const rule of p.rules) services.log.info(`  ${rule.rule}: ${rule.accepts ? 'accepts' : 'REFUSES'} (${rule.reason})`);
  if (p.refused) {
    const refusal = p.rules
      .filter((r) => !r.accepts)
      .map((r) => `${r.rule}: ${r.reason}`)
      .join('; ');
    void vscode.window.showWarningMessage(
      vscode.l10n.t('Release {0} of {1}: the device will report {2}, and devices will REFUSE it ({3}).', release.manifest.label, channel.name, p.willReport, refusal),
    );
  } else {
    const push = vscode.l10n.t('Push…');
    void vscode.window
      .showInformationMessage(vscode.l10n.t('Release {0} of {1} is ready: the device will report {2}.', release.manifest.label, channel.name, p.willReport), push)
      .then((choice) => (choice === push ? vscode.commands.executeCommand('ota.pushRelease', { folder: vscode.Uri.file(folder), channel: channel.name, release: vscode.Uri.file(release.dir) }) : undefined));
  }
}
