import { mkdir, rm } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { findArtifact } from '../../core/build/findArtifact';
import { requireWorkspaceConfig } from '../../core/config/loader';
import { OtaError, describeError } from '../../core/errors';
import type { ProgressCallback } from '../../core/logger';
import type { StatusReport } from '../../core/protocol/management';
import { ManagementClient } from '../../server/client/managementClient';
import type { ExtensionServices } from '../context';
import { SseClient } from '../live/sseClient';
import type { LiveViewHandle } from '../live/liveView';
import { demoFleet } from './demoFleet';
import type { DemoGroup } from './demoFleet';
import { demoSigningKey } from './demoKey';
import { pushDemoRelease } from './demoRelease';

/** A demo that does not finish in this time is reported as stuck, naming the devices that lag. */
const finishTimeoutMs = 5 * 60_000;

export interface DemoDevice {
  id: string;
  /** Whether the deployment is meant to reach it. */
  matching: boolean;
  role: string;
}

export interface DemoOutcome {
  /** The version inside the released image: what updated devices report. */
  embeddedVersion: string;
  updated: { id: string; version: string }[];
  notOffered: { id: string; reason: string }[];
}

/** What `OTA: Run Demo` returns: what runs where, and a promise of the end result. No secret. */
export interface DemoHandle {
  serverUrl: string;
  release: { id: string; label: string; embeddedVersion: string; deploymentId: string };
  devices: DemoDevice[];
  liveView: LiveViewHandle;
  /** Settles once every matching device reports the new version and the others have a why-not record. */
  finished: Promise<DemoOutcome>;
}

interface Running {
  abort: AbortController;
  groups: DemoGroup[];
  fleetDone: Promise<void>;
  subscriptions: vscode.Disposable[];
}

/**
 * "OTA: Run Demo": the embedded server, a small simulated fleet in the extension host, a real
 * image signed with a throw-away key, released and deployed, and the live view to watch it.
 */
export class DemoRunner implements vscode.Disposable {
  private running: Running | undefined;

  constructor(private readonly services: Omit<ExtensionServices, 'demo'>) {}

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  private get scratch(): string {
    const storage = this.services.context.storageUri ?? this.services.context.globalStorageUri;
    return path.join(storage.fsPath, 'demo');
  }

  async start(onProgress: ProgressCallback, cancel: AbortSignal): Promise<DemoHandle> {
    await this.stop();
    const { log, consoles } = this.services;
    const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
    if (!folder) throw new OtaError('the demo needs a workspace folder with .vscode/ota.json', { hint: 'open the folder of a firmware project, or run "OTA: Initialize Workspace"' });
    const loaded = await requireWorkspaceConfig(folder.uri.fsPath);
    const config = loaded.config;
    const channel = config.channels[0];
    if (!channel) throw new OtaError('the config has no channel to release to', { where: loaded.sharedFile, hint: 'add a channel (pid, firmwareKey, artifact) to .vscode/ota.json' });

    // Before anything starts: without an image there is nothing to release.
    const artifact = await findArtifact(channel, folder.uri.fsPath, cancel).catch((err: unknown) => {
      throw new OtaError(`the demo releases channel ${channel.name}'s built image, and ${channel.artifact} matches no file`, {
        where: folder.uri.fsPath,
        hint: `Build the channel first (${channel.build ? `"${channel.build.command}"` : 'your build'}); the sample workspace has no toolchain, so copy test/fixtures/esp-idf/esp_idf_blink_esp32s2.bin to build/smart-plug.bin there (npm start does this in its copy).`,
        code: 'artifact-missing',
        cause: err,
      });
    });
    log.info(`demo: releasing ${path.relative(folder.uri.fsPath, artifact.path)} (${artifact.size} bytes) of channel ${channel.name}`);
    onProgress({ message: 'starting the OTA server' });
    const server = await this.services.server.start();
    const abort = new AbortController();
    const signal = AbortSignal.any([abort.signal, cancel]);
    const devicesDir = path.join(this.scratch, 'devices');
    // Every demo starts from factory-fresh devices.
    await rm(devicesDir, { recursive: true, force: true });
    await mkdir(devicesDir, { recursive: true });
    consoles.clear();
    const groups = demoFleet({
      server: server.url,
      ...(server.caCertPem ? { caPem: server.caCertPem } : {}),
      channel,
      product: config.products.find((p) => p.pid === channel.pid),
      dir: devicesDir,
      bytesPerSecond: vscode.workspace.getConfiguration('otaWorkbench.demo').get<number>('bytesPerSecond', 32 * 1024),
    });
    const subscriptions = groups.flatMap((g) => g.fleet.devices.map((d) => consoles.attach(d.id, ['simulator', 'esp-idf'], (listener) => d.console.onLine(listener))));
    onProgress({ message: 'starting the simulated devices' });
    const fleetDone = Promise.all(groups.map((g) => g.fleet.run(abort.signal))).then(() => undefined);
    const running: Running = { abort, groups, fleetDone, subscriptions };
    this.running = running;
    const devices: DemoDevice[] = groups.flatMap((g) => g.fleet.devices.map((d) => ({ id: d.id, matching: g.matching, role: g.role })));
    this.services.live.demoInfo = () => ({ devices: devices.map((d) => d.id) });
    try {
      const liveView = await this.services.live.open();
      const client = new ManagementClient(server.url, server.token, server.caCertPem ? { ca: server.caCertPem } : {});
      const key = await demoSigningKey(this.services.secrets, log);
      const pushed = await pushDemoRelease({ config, channel, folder: folder.uri.fsPath, scratch: this.scratch, key, client, signal, log, onProgress });
      const embeddedVersion = pushed.created.manifest.embeddedVersion;
      this.services.live.demoInfo = () => ({ devices: devices.map((d) => d.id), release: `${pushed.release.label} (embedded ${embeddedVersion})` });
      this.services.live.demoChanged();
      const finished = watchOutcome(server.url, server.token, server.caCertPem, client, devices, pushed.deployment.id, embeddedVersion, abort.signal);
      finished.then(
        (o) => {
          log.info(`demo finished: ${o.updated.map((u) => `${u.id} ${u.version}`).join(', ')}; not offered: ${o.notOffered.map((n) => n.id).join(', ')}`);
          void vscode.window.showInformationMessage(
            `Demo: ${o.updated.length} devices updated to ${embeddedVersion}; ${o.notOffered.map((n) => `${n.id} was not offered the update`).join('; ')} (see why in the live view).`,
          );
        },
        (err: unknown) => {
          if (!abort.signal.aborted) log.warn(`demo: ${describeError(err)}`);
        },
      );
      return {
        serverUrl: server.url,
        release: { id: pushed.release.id, label: pushed.release.label, embeddedVersion, deploymentId: pushed.deployment.id },
        devices,
        liveView,
        finished,
      };
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  /** Stops the simulated devices (the server keeps running: it is the workspace's server). */
  async stop(): Promise<boolean> {
    const running = this.running;
    if (!running) return false;
    this.running = undefined;
    this.services.live.demoInfo = undefined;
    this.services.live.demoChanged();
    running.abort.abort();
    await running.fleetDone.catch(() => undefined);
    for (const s of running.subscriptions) s.dispose();
    this.services.consoles.forget(running.groups.flatMap((g) => g.fleet.devices.map((d) => d.id)));
    await Promise.all(running.groups.flatMap((g) => g.fleet.devices.map((d) => d.console.close())));
    this.services.log.info('demo stopped');
    return true;
  }

  dispose(): void {
    void this.stop();
  }
}

/**
 * Waits, on the server's event stream, until every matching device reports `version` and every
 * other device has a why-not record for the deployment. Each relevant event triggers one status read.
 */
function watchOutcome(url: string, token: string, ca: string | undefined, client: ManagementClient, devices: DemoDevice[], deploymentId: string, version: string, signal: AbortSignal): Promise<DemoOutcome> {
  return new Promise<DemoOutcome>((resolve, reject) => {
    const stop = new AbortController();
    const both = AbortSignal.any([stop.signal, signal]);
    let latest: StatusReport | undefined;
    const settle = (err?: Error, outcome?: DemoOutcome) => {
      clearTimeout(timer);
      stop.abort();
      if (err) reject(err);
      else resolve(outcome!);
    };
    const timer = setTimeout(() => settle(new OtaError(`the demo did not finish in ${finishTimeoutMs / 60_000} minutes: ${lagging(latest, devices, version, deploymentId).join('; ')}`)), finishTimeoutMs);
    signal.addEventListener('abort', () => settle(new OtaError('the demo was stopped before it finished')), { once: true });
    let checking = false;
    let again = false;
    const check = async () => {
      if (checking) {
        again = true;
        return;
      }
      checking = true;
      try {
        do {
          again = false;
          latest = await client.status(both);
          if (lagging(latest, devices, version, deploymentId).length === 0) settle(undefined, outcome(latest, devices, deploymentId, version));
        } while (again && !both.aborted);
      } catch {
        // A failed read is retried on the next event.
      } finally {
        checking = false;
      }
    };
    new SseClient(url, token, { onOpen: () => void check(), onEvent: (e) => (e.type.startsWith('device.') || e.type === 'session.updated' ? void check() : undefined), onDrop: () => undefined }, ca).start(both);
  });
}

/** The server keeps a cleared why-not record as an entry with an empty reason: those do not count. */
function lagging(status: StatusReport | undefined, devices: DemoDevice[], version: string, deploymentId: string): string[] {
  return devices.flatMap((d) => {
    const seen = status?.devices.find((s) => s.id === d.id);
    if (d.matching) return seen?.attributes.version === version ? [] : [`${d.id} reports ${seen?.attributes.version ?? 'nothing yet'}`];
    return seen?.whyNot.some((w) => w.deploymentId === deploymentId && w.reason !== '') ? [] : [`${d.id} has no why-not record yet`];
  });
}

function outcome(status: StatusReport, devices: DemoDevice[], deploymentId: string, embeddedVersion: string): DemoOutcome {
  const find = (id: string) => status.devices.find((s) => s.id === id);
  return {
    embeddedVersion,
    updated: devices.filter((d) => d.matching).map((d) => ({ id: d.id, version: find(d.id)?.attributes.version ?? '' })),
    notOffered: devices.filter((d) => !d.matching).map((d) => ({ id: d.id, reason: find(d.id)?.whyNot.find((w) => w.deploymentId === deploymentId && w.reason !== '')?.reason ?? '' })),
  };
}
