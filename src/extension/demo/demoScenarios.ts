import { mkdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import type { ProgressCallback } from '../../core/logger';
import { reportsRoot } from '../../core/plan/writeReport';
import { createRelease } from '../../core/release/createRelease';
import { channelReleaseDir, listReleases } from '../../core/release/releaseStore';
import type { SigningKey } from '../../core/signing/loadKey';
import { PlanFleet, parseFleetFault } from '../../device/simulator/planFleet';
import type { DeviceBehaviour } from '../../device/simulator/simDeviceTypes';
import { OtaProvider } from '../../providers/ota/otaProvider';
import { runRollback } from '../../providers/plan/rollbackRun';
import { runRollout } from '../../providers/plan/rolloutRun';
import type { FinishedRun, RunContext, RunProgress } from '../../providers/plan/stressRun';
import { runStress, runUpdate } from '../../providers/plan/stressRun';
import { waitForDevicesOnline } from '../../providers/plan/waitForOutcomes';
import type { ExtensionServices } from '../context';
import { demoSigningKey } from './demoKey';
import { chooseDemoSetup } from './demoSetup';
import type { DemoSetup } from './demoSetup';

/** What a scenario gets: the demo's setup and key, the embedded server, a way to start devices. */
export interface ScenarioKit {
  setup: DemoSetup;
  key: SigningKey;
  /** A run context on the embedded server, writing reports into the setup folder's .ota/reports. */
  context(parameters: RunContext['parameters'], onProgress: (p: RunProgress) => void): RunContext;
  /**
   * Simulated devices on the embedded server, running the channel's latest release: `use` runs once
   * they are online, and they are stopped when it ends, however it ends.
   */
  withDevices<T>(count: number, options: DeviceOptions, use: (fleet: PlanFleet) => Promise<T>): Promise<T>;
  /** Makes sure the channel has a release (the demo image as it is). */
  ensureRelease(): Promise<void>;
  /**
   * Cancels what the scenario deployed that is still active: its devices are gone, and a forced
   * deployment to every matching device would otherwise reach the next scenario's (or a real
   * device's) first poll with the scenario's image.
   */
  cancelLeftDeployments(): Promise<void>;
  signal: AbortSignal;
  onProgress: ProgressCallback;
}

export interface DeviceOptions {
  behaviour?: DeviceBehaviour;
  faults?: string[];
  /** One prefix per scenario: a device id the server knows from another scenario would carry its history. */
  idPrefix: string;
}

/**
 * One entry of "OTA: Run Demo". `run` ends with a report (its folder is shown); an entry without
 * `run` is not offered yet.
 */
export interface DemoScenario {
  id: string;
  label: string;
  detail: string;
  run?: (kit: ScenarioKit) => Promise<FinishedRun>;
}

/**
 * The stakeholder demo's scenarios, each ending with its report. The live update (the view with
 * progress bars) is `update`, run by DemoRunner itself; the rest run through the plan runners.
 * To add a scenario: one entry here.
 */
export const demoScenarios: readonly DemoScenario[] = [
  { id: 'update', label: vscode.l10n.t('Update'), detail: vscode.l10n.t('five devices update live in the live view; one reports an unbound key; report at the end') },
  {
    id: 'wrong-key',
    label: vscode.l10n.t('Wrong key'),
    detail: vscode.l10n.t('four devices, two flashed with a firmware key the PID does not bind: they are not offered the update, and the report says why'),
    run: (kit) =>
      kit.withDevices(4, { faults: ['1,2=wrong-key'], idPrefix: 'demo-key' }, (fleet) =>
        runUpdate({ ...kit.context({ scenario: 'wrong-key' }, progressTo(kit)), waitFor: fleet.ids }),
      ),
  },
  {
    id: 'stress',
    label: vscode.l10n.t('Stress (3 cycles)'),
    detail: vscode.l10n.t('the same image under the next label, three times, to five devices; one drops off mid-download and resumes'),
    run: async (kit) => {
      await kit.ensureRelease();
      return kit.withDevices(5, { faults: ['2=drop:3s@50%'], idPrefix: 'demo-stress' }, (fleet) =>
        runStress({ ...kit.context({ scenario: 'stress', cycles: 3 }, progressTo(kit)), waitFor: fleet.ids, cycles: 3, beforeCycle: () => fleet.armFaults() }),
      );
    },
  },
  {
    id: 'rollback',
    label: vscode.l10n.t('Rollback'),
    detail: vscode.l10n.t('the first release\'s image under a higher label to devices running a newer one: predicted, deployed, and shown as dashboards would'),
    run: async (kit) => {
      await kit.ensureRelease();
      const releasesRoot = path.join(kit.setup.folder, '.ota', 'releases');
      const first = (await listReleases(channelReleaseDir(releasesRoot, kit.setup.channel.pid, kit.setup.channel.name)))[0]!;
      // A newer release for the devices to run, so there is something to roll back from.
      await runUpdateRelease(kit, releasesRoot);
      return kit.withDevices(4, { behaviour: 'esp-idf', idPrefix: 'demo-rollback' }, (fleet) =>
        runRollback({ ...kit.context({ scenario: 'rollback', to: first.manifest.label }, progressTo(kit)), waitFor: fleet.ids, to: first.manifest.label, confirm: () => Promise.resolve(true) }),
      );
    },
  },
  {
    id: 'staged-rollout',
    label: vscode.l10n.t('Staged rollout with a failing group'),
    detail: vscode.l10n.t('three groups; the second has failing devices and the rollout pauses at the error threshold'),
    run: async (kit) => {
      await kit.ensureRelease();
      // Nine devices in three groups of three: the second group's devices fail their self-test.
      const rollout = { groups: 3, successThreshold: 100, errorThreshold: 50 };
      return kit.withDevices(9, { faults: ['4-6=self-test:fail'], idPrefix: 'demo-rollout' }, (fleet) =>
        runRollout({
          ...kit.context({ scenario: 'staged-rollout', ...rollout }, progressTo(kit)),
          ...rollout,
          waitFor: fleet.ids,
          beforeStart: () => fleet.armFaults(),
          fix: () => `cleared the simulated faults (${fleet.clearFaults().join(', ')})`,
        }),
      );
    },
  },
];

function progressTo(kit: ScenarioKit): (p: RunProgress) => void {
  return (p) => kit.onProgress({ message: p.message });
}

async function runUpdateRelease(kit: ScenarioKit, releasesRoot: string): Promise<void> {
  const releases = await listReleases(channelReleaseDir(releasesRoot, kit.setup.channel.pid, kit.setup.channel.name));
  const last = releases.at(-1)!.manifest.label.split('.').map(Number);
  await createRelease({
    channel: kit.setup.channel,
    folder: kit.setup.folder,
    releasesRoot,
    mode: { kind: 'release' },
    restamp: true,
    label: `${last[0]}.${(last[1] ?? 0) + 1}.0`,
    build: false,
    key: kit.key,
    production: false,
    buildOptions: { env: {}, signal: kit.signal },
    log: { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
  });
}

/** Everything a plan scenario needs, on the embedded server and the demo's setup. */
export async function scenarioKit(services: ExtensionServices, storage: string, signal: AbortSignal, onProgress: ProgressCallback): Promise<ScenarioKit> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  const setup = await chooseDemoSetup(folders, path.join(storage, 'setup'), signal);
  onProgress({ message: vscode.l10n.t('starting the OTA server') });
  const server = await services.server.start();
  const provider = new OtaProvider('local', server.url, server.token, server.caCertPem ? { ca: server.caCertPem } : {});
  const key = await demoSigningKey(services.secrets, services.log);
  const channel = setup.channel;
  const releasesRoot = path.join(setup.folder, '.ota', 'releases');
  await mkdir(reportsRoot(setup.folder), { recursive: true });
  const bound = setup.loaded.config.products.find((p) => p.pid === channel.pid)?.firmwareKeys ?? [];
  const before = new Set((await provider.status(signal)).deployments.map((d) => d.id));
  const kit: ScenarioKit = {
    setup,
    key,
    signal,
    onProgress,
    context: (parameters, progress) => ({
      channel,
      folder: setup.folder,
      releasesRoot,
      reportsRoot: reportsRoot(setup.folder),
      key,
      production: false,
      provider,
      boundKeys: [...new Set([channel.firmwareKey, ...bound])],
      cycleTimeoutMs: 300_000,
      pollMs: 1000,
      parameters: { ...parameters, server: 'embedded' },
      signal,
      log: services.log,
      onProgress: progress,
    }),
    cancelLeftDeployments: async () => {
      for (const d of (await provider.status()).deployments) {
        if (d.state !== 'active' || before.has(d.id)) continue;
        await provider.client.cancelDeployment(d.id).catch((err: unknown) => services.log.warn(`demo: could not cancel deployment ${d.id}: ${describeError(err)}`));
      }
    },
    ensureRelease: async () => {
      if ((await listReleases(channelReleaseDir(releasesRoot, channel.pid, channel.name))).length) return;
      // 1.0.0 whatever the image carries inside (the demo image's own version need not be semver).
      await createRelease({ channel, folder: setup.folder, releasesRoot, mode: { kind: 'release' }, restamp: false, label: '1.0.0', build: false, key, production: false, buildOptions: { env: {}, signal }, log: services.log });
    },
    withDevices: async (count, options, use) => {
      await kit.ensureRelease();
      const latest = (await listReleases(channelReleaseDir(releasesRoot, channel.pid, channel.name))).at(-1)!;
      const fleet = await PlanFleet.start({
        count,
        server: server.url,
        ...(server.caCertPem ? { caPem: server.caCertPem } : {}),
        pid: channel.pid,
        fwKey: channel.firmwareKey,
        channel: channel.name,
        factoryImage: await readFile(latest.artifactPath),
        behaviour: options.behaviour ?? 'plain',
        faults: (options.faults ?? []).map(parseFleetFault),
        pollIntervalMs: 1000,
        idPrefix: options.idPrefix,
      });
      try {
        onProgress({ message: vscode.l10n.t('waiting for {0} simulated devices', count) });
        await waitForDevicesOnline(provider, fleet.ids, { timeoutMs: 30_000, signal });
        return await use(fleet);
      } finally {
        await fleet.stop();
      }
    },
  };
  return kit;
}
