import * as vscode from 'vscode';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { findArtifact } from '../../core/build/findArtifact';
import type { Channel, Server } from '../../core/config/model';
import { OtaError } from '../../core/errors';
import { channelReleaseDir, listReleases, manifestFileName } from '../../core/release/releaseStore';
import type { StoredRelease } from '../../core/release/releaseStore';
import { labelForPush } from '../../core/version/pushLabel';
import type { DeployResult, DeployType, PublishedRelease } from '../../providers/provider';
import type { ExtensionServices } from '../context';
import { withCancellableProgress } from '../firmware/cancellableProgress';
import { serverConnector } from '../serverConnector';
import type { CommandTarget } from './commandTarget';
import { targetOf } from './commandTarget';
import { describeServer, pickChannel, pickServer, pickWorkspace } from './pickTarget';
import type { Workspace } from './pickTarget';
import { reportFailure } from './reportFailure';
import { StepFlow } from './steps';

export interface PushOutcome {
  server: string;
  release: PublishedRelease;
  deployment?: DeployResult;
}

/** What is pushed: a release made in the workspace (with its signed manifest), or the build output as it is. */
interface Payload {
  file: string;
  label?: string;
  manifest?: Buffer;
  what: string;
}

async function releaseAt(uri: vscode.Uri): Promise<StoredRelease> {
  const dir = (await stat(uri.fsPath)).isDirectory() ? uri.fsPath : dirname(uri.fsPath);
  const manifest = JSON.parse(await readFile(join(dir, manifestFileName), 'utf8')) as StoredRelease['manifest'];
  return { dir, manifest, artifactPath: join(dir, manifest.file) };
}

function fromRelease(r: StoredRelease): Payload {
  return { file: r.artifactPath, label: r.manifest.label, what: `${r.manifest.channel} ${r.manifest.label}` };
}

/**
 * OTA: Push Release — a release made in the workspace (or the channel's build output, labelled
 * with its embedded version) to any configured server (ours, remote, hawkBit), optionally deployed
 * to every matching device; a cancellable upload with real progress. From a release row the
 * release and folder are known; from a server row the server; from the palette every step asks.
 */
export async function pushRelease(services: ExtensionServices, arg?: unknown): Promise<PushOutcome | undefined> {
  const target = targetOf(arg);
  const flow = new StepFlow(vscode.l10n.t('OTA: Push Release'), 5);
  let workspace: Workspace | undefined;
  let server: Server | undefined;
  try {
    workspace = await pickWorkspace(flow, target);
    if (!workspace) return undefined;
    let channel: Channel | undefined;
    let payload: Payload | undefined;
    if (target?.release) {
      const stored = await releaseAt(target.release);
      channel = workspace.config.channels.find((c) => c.name === stored.manifest.channel && c.pid === stored.manifest.pid);
      if (!channel) throw new OtaError(vscode.l10n.t('release {0} is for channel {1} ({2}), which the OTA config no longer has', stored.manifest.label, stored.manifest.channel, stored.manifest.pid), { where: stored.dir, code: 'invalid-config' });
      payload = { ...fromRelease(stored), manifest: await readFile(join(stored.dir, manifestFileName)) };
      flow.skip();
      flow.skip();
    } else {
      channel = await pickChannel(flow, workspace, target, vscode.l10n.t('Channel to push'));
      if (!channel) return undefined;
      payload = await pickPayload(flow, workspace, channel, target);
      if (!payload) return undefined;
    }
    server = await pickServer(flow, workspace, target, vscode.l10n.t('Server to push {0} to', payload.what));
    if (!server) return undefined;
    const how = await flow.pick(deployChoices(server), vscode.l10n.t('Deploy it too?'));
    if (!how) return undefined;
    return await push(services, workspace, channel, server, payload, how.type);
  } catch (err) {
    const where = server ? vscode.l10n.t('Push to {0} failed', server.name) : vscode.l10n.t('Push Release failed');
    reportFailure(services, where, err, workspace ? { folder: workspace.folder } : {});
    return undefined;
  }
}

function deployChoices(server: Server): { label: string; detail: string; type?: DeployType }[] {
  return [
    { label: vscode.l10n.t('Publish only'), detail: vscode.l10n.t('upload the release; deploy it later (OTA: Deploy Release…)') },
    { label: vscode.l10n.t('Publish and deploy (soft)'), detail: vscode.l10n.t('to every device reporting the channel, its PID and a bound key; devices may postpone'), type: 'soft' },
    { label: vscode.l10n.t('Publish and deploy (forced)'), detail: vscode.l10n.t('devices install at once'), type: 'forced' },
    ...(server.type === 'hawkbit' ? [{ label: vscode.l10n.t('Publish and deploy (download only)'), detail: vscode.l10n.t('devices download but do not install'), type: 'downloadonly' as DeployType }] : []),
  ];
}

/** The newest releases of the channel first, then its build output as it is. */
async function pickPayload(flow: StepFlow, workspace: Workspace, channel: Channel, target: CommandTarget | undefined): Promise<Payload | undefined> {
  const releases = (await listReleases(channelReleaseDir(join(workspace.folder, '.ota', 'releases'), channel.pid, channel.name))).reverse();
  const artifact = await findArtifact(channel, workspace.folder).catch(() => undefined);
  const items = [
    ...releases.map((r) => ({
      label: vscode.l10n.t('Release {0}', r.manifest.label),
      description: vscode.l10n.t('embedded {0} · signed manifest', r.manifest.embeddedVersion),
      detail: vscode.workspace.asRelativePath(r.dir),
      release: r,
    })),
    ...(artifact ? [{ label: vscode.l10n.t('The build output as it is'), description: basename(artifact.path), detail: vscode.l10n.t('no release manifest; labelled with the version inside the image'), release: undefined }] : []),
  ];
  if (items.length === 0) {
    throw new OtaError(vscode.l10n.t('channel {0} has neither a release nor a build output to push', channel.name), {
      code: 'artifact-missing',
      hint: vscode.l10n.t('Build it ("OTA: Build Firmware") or create a release ("OTA: Create Release…") first.'),
    });
  }
  if (items.length === 1 || target?.channel !== undefined) {
    flow.skip();
    const first = items[0]!;
    return first.release ? fromRelease(first.release) : { file: artifact!.path, what: channel.name };
  }
  const picked = await flow.pick(items, vscode.l10n.t('What to push'));
  if (!picked) return undefined;
  return picked.release ? fromRelease(picked.release) : { file: artifact!.path, what: channel.name };
}

async function push(services: ExtensionServices, workspace: Workspace, channel: Channel, server: Server, payload: Payload, type: DeployType | undefined): Promise<PushOutcome> {
  const provider = await serverConnector(services.secrets)(workspace, server);
  const bound = workspace.config.products.find((p) => p.pid === channel.pid)?.firmwareKeys ?? [];
  const result = await withCancellableProgress(vscode.l10n.t('Pushing {0} to {1} ({2})', payload.what, server.name, describeServer(server)), async (signal, onProgress) => {
    const label = payload.label ?? (await labelForPush(payload.file, channel, workspace.folder));
    const manifest = payload.manifest ?? (payload.label ? await readFile(join(dirname(payload.file), manifestFileName)).catch(() => undefined) : undefined);
    const release = await provider.publish({ file: payload.file, pid: channel.pid, fwKey: channel.firmwareKey, channel: channel.name, label, ...(manifest ? { signedManifest: manifest } : {}) }, { signal, onProgress });
    const deployment = type
      ? await provider.deploy({ releaseId: release.id, pid: channel.pid, fwKey: channel.firmwareKey, channel: channel.name, boundKeys: [channel.firmwareKey, ...bound], type }, signal)
      : undefined;
    return { release, ...(deployment ? { deployment } : {}) };
  });
  for (const note of [...result.release.notes, ...(result.deployment?.notes ?? [])]) services.log.info(`${server.name}: ${note}`);
  services.tree.refresh();
  const deploy = vscode.l10n.t('Deploy…');
  const message = result.deployment
    ? vscode.l10n.t('Pushed {0} {1} to {2} and deployed it to {3}.', basename(result.release.filename), result.release.label, server.name, result.deployment.devices.length ? vscode.l10n.t('{0} device(s)', result.deployment.devices.length) : vscode.l10n.t('every matching device'))
    : vscode.l10n.t('Pushed {0} {1} to {2}.', basename(result.release.filename), result.release.label, server.name);
  void vscode.window.showInformationMessage(message, ...(result.deployment ? [] : [deploy])).then((choice) =>
    choice === deploy ? vscode.commands.executeCommand('ota.deployRelease', { folder: vscode.Uri.file(workspace.folder), server: server.name }) : undefined,
  );
  return { server: server.name, ...result };
}
