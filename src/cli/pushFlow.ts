import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ResolvedServer } from './providerFlags';
import type { UsableConfig } from './workspaceChannel';
import { findArtifact } from '../core/build/findArtifact';
import type { Channel } from '../core/config/model';
import { OtaError } from '../core/errors';
import type { ProgressCallback } from '../core/logger';
import { labelForPush } from '../core/version/pushLabel';
import type { DeployResult, DeployType, MaintenanceWindow, PublishedRelease } from '../providers/provider';

/** What `ota push` was asked, after flag parsing; anything absent comes from the workspace. */
export interface PushOptions {
  file?: string;
  channel?: string;
  pid?: string;
  fwKey?: string;
  label?: string;
  manifestFile?: string;
  /** The DDI chunk part (our server; default bApp). */
  part?: string;
  deploy?: { devices?: string[]; type: DeployType; forceTime?: number; maintenanceWindow?: MaintenanceWindow };
}

/** Who a release is for: from the workspace's channel, or from flags for scripts without one. */
export interface Target {
  pid: string;
  fwKey: string;
  channel: string;
  boundKeys: string[];
  config?: Channel;
}

/**
 * `ota push`: the image (FILE, or the channel's artifact), its label (--label, else the version
 * embedded in the image, else the channel's version source; never a made-up 0.0.0), published to
 * any provider and optionally deployed to the devices that match.
 */
export async function runPush(cwd: string, server: ResolvedServer, options: PushOptions, io: { signal: AbortSignal; onProgress?: ProgressCallback }): Promise<{ release: PublishedRelease; deployment?: DeployResult; file: string }> {
  const target = resolveTarget(server.workspace, options);
  const file = options.file
    ? resolve(cwd, options.file)
    : target.config && server.workspace
      ? (await findArtifact(target.config, server.workspace.folder, io.signal)).path
      : missing('FILE', 'name the image, or run in a workspace whose channel says where the artifact is');
  const signedManifest = options.manifestFile ? await readManifest(resolve(cwd, options.manifestFile)) : undefined;
  const label = options.label ?? (await labelForPush(file, target.config, server.workspace?.folder));
  const release = await server.provider.publish(
    { file, pid: target.pid, fwKey: target.fwKey, channel: target.channel, label, ...(signedManifest ? { signedManifest } : {}), ...(options.part ? { part: options.part } : {}) },
    { signal: io.signal, ...(io.onProgress ? { onProgress: io.onProgress } : {}) },
  );
  if (!options.deploy) return { release, file };
  const deployment = await server.provider.deploy(
    {
      releaseId: release.id,
      pid: target.pid,
      fwKey: target.fwKey,
      channel: target.channel,
      boundKeys: target.boundKeys,
      type: options.deploy.type,
      ...(options.deploy.devices?.length ? { devices: options.deploy.devices } : {}),
      ...(options.deploy.forceTime !== undefined ? { forceTime: options.deploy.forceTime } : {}),
      ...(options.deploy.maintenanceWindow ? { maintenanceWindow: options.deploy.maintenanceWindow } : {}),
    },
    io.signal,
  );
  return { release, deployment, file };
}

/** The channel (by name, and by PID when names repeat) with its key; flags override for scripts. */
export function resolveTarget(workspace: UsableConfig | undefined, options: { channel?: string; pid?: string; fwKey?: string }): Target {
  if (!workspace) {
    const pid = options.pid ?? missing('--pid', 'without a workspace (.vscode/ota.json), pass --pid, --key and --channel');
    const fwKey = options.fwKey ?? missing('--key', 'without a workspace (.vscode/ota.json), pass --pid, --key and --channel');
    const channel = options.channel ?? missing('--channel', 'without a workspace (.vscode/ota.json), pass --pid, --key and --channel');
    return { pid, fwKey, channel, boundKeys: [fwKey] };
  }
  const all = workspace.config.channels;
  const matching = all.filter((c) => (options.channel === undefined || c.name === options.channel) && (options.pid === undefined || c.pid === options.pid));
  const list = all.map((c) => `${c.name} (pid ${c.pid})`).join(', ') || 'none';
  if (matching.length !== 1) {
    throw new OtaError(matching.length ? `channel ${options.channel ?? ''} is ambiguous` : `no channel ${options.channel ?? ''}${options.pid ? ` for pid ${options.pid}` : ''} in the config`, {
      where: workspace.sharedFile,
      code: 'usage',
      hint: `pass --channel${matching.length ? ' and --pid' : ''}; channels: ${list}`,
    });
  }
  const config = matching[0]!;
  const fwKey = options.fwKey ?? config.firmwareKey;
  const bound = workspace.config.products.find((p) => p.pid === config.pid)?.firmwareKeys ?? [];
  return { pid: config.pid, fwKey, channel: config.name, boundKeys: [...new Set([fwKey, ...bound])], config };
}

async function readManifest(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    throw new OtaError(`cannot read the release manifest (${(err as NodeJS.ErrnoException).code ?? String(err)})`, {
      where: path,
      hint: 'pass the <file>.manifest.json that `ota release create` wrote next to the image',
      cause: err,
    });
  }
}

function missing(what: string, hint: string): never {
  throw new OtaError(`${what} is missing`, { code: 'usage', hint });
}
