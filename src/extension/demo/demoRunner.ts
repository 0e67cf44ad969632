import { mkdir, rm } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import type { ProgressCallback } from '../../core/logger';
import { ManagementClient } from '../../providers/ota/managementClient';
import type { ExtensionServices } from '../context';
import type { LiveViewHandle } from '../live/liveView';
import { demoFleet } from './demoFleet';
import type { DemoGroup } from './demoFleet';
import { demoSigningKey } from './demoKey';
import { watchOutcome } from './demoOutcome';
import type { DemoDevice, DemoOutcome } from './demoOutcome';
import { pushDemoRelease } from './demoRelease';
import { chooseDemoSetup } from './demoSetup';

/** What `OTA: Run Demo` returns: what runs where, and a promise of the end result. No secret. */
export interface DemoHandle {
  serverUrl: string;
  /** Where the demo's config and image came from: a workspace folder, or its own (`own`) in the extension's storage. */
  setup: { folder: string; own: boolean };
  /** `keyId` is the demo key's public hash (the key itself stays in Secret Storage). */
  release: { id: string; label: string; embeddedVersion: string; deploymentId: string; keyId: string };
  devices: DemoDevice[];
  liveView: LiveViewHandle;
  /** Settles once every matching device reports the new version and the others have a why-not record. */
  finished: Promise<DemoOutcome>;
  /** Aborted when the demo stops (Stop Demo, a new demo, or the window closing). */
  stopped: AbortSignal;
}

interface Running {
  abort: AbortController;
  groups: DemoGroup[];
  fleetDone: Promise<void>;
  subscriptions: vscode.Disposable[];
  /** The demo's deployment, once pushed: cancelled when the demo stops (see stop()). */
  deployment?: { client: ManagementClient; id: string };
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

  /** The demo's own config and image: one copy for every workspace (and for no folder at all). */
  get ownStorage(): string {
    return path.join(this.services.context.globalStorageUri.fsPath, 'demo');
  }

  async start(onProgress: ProgressCallback, cancel: AbortSignal): Promise<DemoHandle> {
    await this.stop();
    const { log, consoles } = this.services;
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
    const setup = await chooseDemoSetup(folders, path.join(this.ownStorage, 'setup'), cancel);
    const { folder, channel } = setup;
    const config = setup.loaded.config;
    log.info(
      setup.own
        ? `demo: running on its own setup in ${folder} (no workspace channel with a built image); "OTA: Copy the Demo Setup into This Workspace" copies it`
        : `demo: releasing ${path.relative(folder, setup.artifact)} of channel ${channel.name} in ${folder}`,
    );
    onProgress({ message: vscode.l10n.t('starting the OTA server') });
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
    onProgress({ message: vscode.l10n.t('starting the simulated devices') });
    const fleetDone = Promise.all(groups.map((g) => g.fleet.run(abort.signal))).then(() => undefined);
    const running: Running = { abort, groups, fleetDone, subscriptions };
    this.running = running;
    const devices: DemoDevice[] = groups.flatMap((g) => g.fleet.devices.map((d) => ({ id: d.id, matching: g.matching, role: g.role })));
    this.services.live.demoInfo = () => ({ devices: devices.map((d) => d.id) });
    this.services.live.demoConfig = setup.loaded;
    try {
      const liveView = await this.services.live.open();
      if (!liveView) throw new Error('the demo\'s server stopped before the live view could connect to it');
      const client = new ManagementClient(server.url, server.token, server.caCertPem ? { ca: server.caCertPem } : {});
      const key = await demoSigningKey(this.services.secrets, log);
      const pushed = await pushDemoRelease({ config, channel, folder, scratch: this.scratch, key, client, signal, log, onProgress });
      running.deployment = { client, id: pushed.deployment.id };
      const embeddedVersion = pushed.created.manifest.embeddedVersion;
      this.services.live.demoInfo = () => ({ devices: devices.map((d) => d.id), release: `${pushed.release.label} (embedded ${embeddedVersion})` });
      this.services.live.demoChanged();
      const finished = watchOutcome(server.url, server.token, server.caCertPem, client, devices, pushed.deployment.id, embeddedVersion, abort.signal);
      finished.then(
        (o) => {
          log.info(`demo finished: ${o.updated.map((u) => `${u.id} ${u.version}`).join(', ')}; not offered: ${o.notOffered.map((n) => n.id).join(', ')}`);
          const copy = vscode.l10n.t('Copy Setup into Workspace');
          const offerCopy = setup.own && folders.length > 0;
          void vscode.window
            .showInformationMessage(
              vscode.l10n.t(
                'Demo: {0} devices updated to {1}; {2} (see why in the live view).',
                o.updated.length,
                embeddedVersion,
                o.notOffered.map((n) => vscode.l10n.t('{0} was not offered the update', n.id)).join('; '),
              ),
              ...(offerCopy ? [copy] : []),
            )
            .then((choice) => (choice === copy ? vscode.commands.executeCommand('ota.copyDemoSetup') : undefined));
        },
        (err: unknown) => {
          if (!abort.signal.aborted) log.warn(`demo: ${describeError(err)}`);
        },
      );
      return {
        serverUrl: server.url,
        setup: { folder, own: setup.own },
        release: { id: pushed.release.id, label: pushed.release.label, embeddedVersion, deploymentId: pushed.deployment.id, keyId: pushed.created.manifest.keyId },
        devices,
        liveView,
        finished,
        stopped: abort.signal,
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
    this.services.live.demoConfig = undefined;
    this.services.live.demoChanged();
    running.abort.abort();
    await running.fleetDone.catch(() => undefined);
    for (const s of running.subscriptions) s.dispose();
    this.services.consoles.forget(running.groups.flatMap((g) => g.fleet.devices.map((d) => d.id)));
    await Promise.all(running.groups.flatMap((g) => g.fleet.devices.map((d) => d.console.close())));
    // Its devices are gone; a forced deployment to every matching device left active would reach
    // the next simulated fleet's (or a real device's) first poll with the demo's image.
    const deployment = running.deployment;
    if (deployment && this.services.server.current) {
      await deployment.client.cancelDeployment(deployment.id).catch((err: unknown) => this.services.log.warn(`demo: could not cancel deployment ${deployment.id}: ${describeError(err)}`));
    }
    this.services.log.info('demo stopped');
    return true;
  }

  dispose(): void {
    void this.stop();
  }
}
