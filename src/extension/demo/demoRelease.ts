import { readFile, rm } from 'node:fs/promises';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import type { Channel, OtaConfig } from '../../core/config/model';
import { findArtifact } from '../../core/build/findArtifact';
import { OtaError } from '../../core/errors';
import type { Logger, ProgressCallback } from '../../core/logger';
import type { Deployment, Release, StatusReport } from '../../core/protocol/management';
import { createRelease } from '../../core/release/createRelease';
import type { CreatedRelease } from '../../core/release/createRelease';
import type { SigningKey } from '../../core/signing/loadKey';
import { bumpSemver, compareSemver, formatSemver, parseSemver } from '../../core/version/semver';
import type { ManagementClient } from '../../providers/ota/managementClient';
import { demoFactoryVersion } from './demoFleet';

/** Release notes start with this, so a later demo finds (and retires) the deployments of an earlier one. */
export const demoNotesMarker = 'OTA Workbench demo';

export interface DemoRelease {
  created: CreatedRelease;
  release: Release;
  deployment: Deployment;
}

/**
 * The channel's built image → a release re-stamped with the next label and a manifest signed by
 * the demo key → uploaded to the server (after binding the config's keys to the PID) → deployed
 * to every matching device. Earlier demo deployments are cancelled first, so only this one shows.
 */
export async function pushDemoRelease(options: {
  config: OtaConfig;
  channel: Channel;
  folder: string;
  scratch: string;
  key: SigningKey;
  client: ManagementClient;
  signal: AbortSignal;
  log: Logger;
  onProgress: ProgressCallback;
}): Promise<DemoRelease> {
  const { channel, client, signal, log } = options;
  // Fails with the artifact pattern and a hint when the image was never built.
  const artifact = await findArtifact(channel, options.folder, signal);
  const status = await client.status(signal);
  const label = nextLabel(status, channel);
  const releasesRoot = path.join(options.scratch, 'releases');
  await rm(releasesRoot, { recursive: true, force: true });
  options.onProgress({ message: l10n.t('signing {0} as {1}', path.basename(artifact.path), label) });
  const created = await createRelease({
    channel,
    folder: options.folder,
    releasesRoot,
    mode: { kind: 'release' },
    // The devices compare the version inside the image: stamp the label there so they take it.
    restamp: channel.format !== 'raw',
    label,
    build: false,
    key: options.key,
    production: false,
    running: { embeddedVersion: demoFactoryVersion, source: 'the simulated fleet' },
    buildOptions: { env: process.env, signal, log },
    log,
  });
  if (created.prediction.refused) {
    throw new OtaError(`the demo devices would refuse release ${label}: ${created.manifest.deviceRefusal ?? 'see the prediction'}`, { where: artifact.path });
  }
  const product = options.config.products.find((p) => p.pid === channel.pid);
  if (product) await client.bindKeys(product.pid, product.firmwareKeys, signal);
  for (const d of status.deployments) {
    const release = status.releases.find((r) => r.id === d.releaseId);
    if (d.state === 'active' && release?.notes?.startsWith(demoNotesMarker)) await client.cancelDeployment(d.id, signal);
  }
  const m = created.manifest;
  const release = await client.pushFile(
    created.artifactPath,
    {
      pid: m.pid,
      fwKey: m.firmwareKey,
      channel: m.channel,
      label: m.label,
      // The server keeps the signed manifest as written and serves it next to the image.
      signedManifest: (await readFile(created.manifestPath)).toString('base64'),
      notes: `${demoNotesMarker}: embedded version ${m.embeddedVersion}, manifest signed (${m.signature?.algorithm ?? 'unsigned'}) by the throw-away demo key ${m.keyId.slice(0, 16)}…, source ${path.relative(options.folder, artifact.path)}`,
    },
    { signal, onProgress: options.onProgress },
  );
  const deployment = await client.deploy({ releaseId: release.id }, signal);
  log.info(`demo: release ${release.id} (${m.label}, embedded ${m.embeddedVersion}, ${m.size} bytes) deployed as ${deployment.id}`);
  return { created, release, deployment };
}

/** One minor version above every release of the channel on the server (and above the fleet's). */
function nextLabel(status: StatusReport, channel: Channel): string {
  const labels = status.releases.filter((r) => r.pid === channel.pid && r.channel === channel.name).map((r) => parseSemver(r.label));
  const highest = [parseSemver(demoFactoryVersion)!, ...labels.filter((v) => v !== undefined)].sort(compareSemver).at(-1)!;
  return formatSemver(bumpSemver(highest, 'minor'));
}
