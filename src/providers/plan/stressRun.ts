import { readFile } from 'node:fs/promises';
import { basename, relative } from 'node:path';
import type { Channel } from '../../core/config/model';
import { describeError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import { createRelease } from '../../core/release/createRelease';
import type { CreatedRelease, ReleaseMode } from '../../core/release/createRelease';
import { channelReleaseDir, listReleases } from '../../core/release/releaseStore';
import { bumpSemver, compareSemver, formatSemver, requireSemver } from '../../core/version/semver';
import type { SigningKey } from '../../core/signing/loadKey';
import { countResults, deviceCycleFrom, runId, runReportSchema, seedLimits } from '../../core/plan/runReport';
import type { RunReport } from '../../core/plan/runReport';
import { writeRunReport } from '../../core/plan/writeReport';
import { productVersion } from '../../core/product';
import { OtaProvider } from '../ota/otaProvider';
import type { PublishedRelease, PushProvider } from '../provider';
import { readFleetStatus } from './fleetStatus';
import { waitForOutcomes } from './waitForOutcomes';

/** Progress of a run, for a terminal line or a notification. */
export interface RunProgress {
  cycle: number;
  cycles: number;
  /** Devices with an outcome in this cycle, of those waited for. */
  done: number;
  total: number;
  message: string;
}

/** What a stress or rollback run needs: the workspace channel, its key, the server, and who to wait for. */
export interface RunContext {
  channel: Channel;
  folder: string;
  releasesRoot: string;
  reportsRoot: string;
  key: SigningKey;
  production: boolean;
  hmacSecret?: Buffer;
  provider: PushProvider;
  boundKeys: readonly string[];
  /** Deploy to these devices only; absent: every matching device. */
  devices?: readonly string[];
  /** Devices whose outcome each cycle waits for; absent: the matching devices the server knows at the start. */
  waitFor?: readonly string[];
  /** Longest wait for one cycle's outcomes. */
  cycleTimeoutMs: number;
  pollMs: number;
  /** Recorded in the report as given. */
  parameters: RunReport['parameters'];
  signal: AbortSignal;
  log: Logger;
  onProgress?: (p: RunProgress) => void;
}

export interface StressOptions extends RunContext {
  cycles: number;
  /** Called before each cycle is deployed (a simulated fleet re-arms its faults). */
  beforeCycle?: (cycle: number) => void;
}

export interface FinishedRun {
  report: RunReport;
  dir: string;
}

/**
 * The seed's stress test: each cycle releases the same image under the next label, deploys it,
 * and waits (bounded) for every device's outcome. A stop writes the report of what finished.
 */
export async function runStress(options: StressOptions): Promise<FinishedRun> {
  return runCycles(options, 'stress', options.cycles, (cycle) => {
    options.onProgress?.({ cycle, cycles: options.cycles, done: 0, total: 0, message: `cycle ${cycle}: making the stress release` });
    return makeRelease(options, { kind: 'stress' }, false);
  });
}

/**
 * One real update: the channel's artifact, re-stamped with the next label so devices report it,
 * released and deployed, with a report (the demo's Update and Wrong key scenarios).
 */
export async function runUpdate(options: RunContext & { beforeCycle?: (cycle: number) => void }): Promise<FinishedRun> {
  return runCycles(options, 'update', 1, () => makeUpdateRelease(options));
}

/** The channel's artifact as a real release under the next patch label (re-stamped so devices report it). */
export async function makeUpdateRelease(options: RunContext): Promise<CreatedRelease> {
  const releases = await listReleases(channelReleaseDir(options.releasesRoot, options.channel.pid, options.channel.name));
  const highest = releases.map((r) => requireSemver(r.manifest.label)).sort(compareSemver).at(-1);
  const label = highest ? formatSemver(bumpSemver(highest, 'patch')) : '1.0.0';
  return makeRelease(options, { kind: 'release' }, options.channel.format !== 'raw', label);
}

function makeRelease(options: RunContext, mode: ReleaseMode, restamp: boolean, label?: string): Promise<CreatedRelease> {
  return createRelease({
    channel: options.channel,
    folder: options.folder,
    releasesRoot: options.releasesRoot,
    mode,
    restamp,
    ...(label ? { label } : {}),
    build: false,
    key: options.key,
    production: options.production,
    ...(options.hmacSecret ? { hmacSecret: options.hmacSecret } : {}),
    // Runs release what is there (an earlier release, the last build output): nothing is built.
    buildOptions: { env: {}, signal: options.signal, log: options.log },
    log: options.log,
  });
}

async function runCycles(options: RunContext & { beforeCycle?: (cycle: number) => void }, kind: RunReport['kind'], cycles: number, make: (cycle: number) => Promise<CreatedRelease>): Promise<FinishedRun> {
  const base = await startReport(kind, options, new Date());
  const report = base.report;
  let stopped: string | undefined;
  for (let cycle = 1; cycle <= cycles && !stopped; cycle++) {
    try {
      await oneCycle(options, report, cycle, cycles, await make(cycle), base.waitFor, base.sessionsFrom);
      if (options.signal.aborted) stopped = stopReason(options.signal);
    } catch (err) {
      stopped = options.signal.aborted ? stopReason(options.signal) : `cycle ${cycle}: ${describeError(err)}`;
      options.log.error(`${kind} run: ${stopped}`);
    }
  }
  return finish(options, report, stopped);
}

export async function startReport(kind: RunReport['kind'], options: RunContext, started: Date): Promise<{ report: RunReport; waitFor: string[]; sessionsFrom: number }> {
  const status = await readFleetStatus(options.provider, options.signal);
  const keys = new Set(options.boundKeys);
  const matching = status.devices.filter((d) => d.attributes['channel'] === options.channel.name && keys.has(d.attributes['fw_key'] ?? '') && (d.attributes['pid'] ?? options.channel.pid) === options.channel.pid).map((d) => d.id);
  const waitFor = [...(options.waitFor ?? options.devices ?? matching)].sort();
  const report: RunReport = {
    schema: runReportSchema,
    kind,
    id: runId(kind, started),
    startedAt: started.toISOString(),
    endedAt: started.toISOString(),
    complete: false,
    tool: { name: 'ota-workbench', version: productVersion },
    server: { name: options.provider.name, kind: options.provider.kind, version: status.server.version, ...(status.server.offlineTimeoutMs ? { offlineTimeoutMs: status.server.offlineTimeoutMs } : {}), ...(status.server.minBandwidthBps ? { minBandwidthBps: status.server.minBandwidthBps } : {}) },
    parameters: options.parameters,
    channel: { name: options.channel.name, pid: options.channel.pid, firmwareKey: options.channel.firmwareKey, format: options.channel.format },
    versions: { source: '', embedded: '', labels: [] },
    limits: seedLimits,
    devices: waitFor,
    cycles: [],
    results: [],
  };
  return { report, waitFor, sessionsFrom: status.sessionTotal };
}

async function oneCycle(options: RunContext & { beforeCycle?: (cycle: number) => void }, report: RunReport, cycle: number, cycles: number, created: CreatedRelease, waitFor: readonly string[], sessionsFrom: number): Promise<void> {
  const progress = (done: number, message: string) => options.onProgress?.({ cycle, cycles, done, total: waitFor.length, message });
  const m = created.manifest;
  report.versions.source = relative(options.folder, created.source) || created.source;
  report.versions.embedded = m.embeddedVersion;
  const cycleStart = new Date().toISOString();
  options.beforeCycle?.(cycle);
  const deployed = await publishAndDeploy(options, created.artifactPath, created.manifestPath, m.label);
  report.versions.labels.push(m.label);
  progress(0, `cycle ${cycle}: ${m.label} deployed (${deployed.deploymentId}); waiting for ${waitFor.length} devices`);
  const outcome = await waitForOutcomes(options.provider, deployed.deploymentId, waitFor, {
    timeoutMs: options.cycleTimeoutMs,
    pollMs: options.pollMs,
    signal: options.signal,
    sessionsFrom,
    onPoll: (done) => progress(done, `cycle ${cycle}: ${done}/${waitFor.length} devices have an outcome`),
  });
  const results = waitFor.map((deviceId) => {
    const session = outcome.sessions.get(deviceId);
    const notOffered = outcome.notOffered.get(deviceId);
    const running = outcome.devices.get(deviceId)?.attributes['version'];
    return deviceCycleFrom({ deviceId, cycle, label: m.label, expected: m.embeddedVersion, ...(session ? { session } : {}), ...(notOffered !== undefined ? { notOffered } : {}), ...(running !== undefined ? { running } : {}) });
  });
  report.results.push(...results);
  report.cycles.push({ cycle, label: m.label, releaseId: deployed.releaseId, deploymentId: deployed.deploymentId, startedAt: cycleStart, endedAt: new Date().toISOString(), counts: countResults(results) });
  if (!outcome.settled && options.signal.aborted) await cancelDeployment(options, deployed.deploymentId);
  await writeRunReport(options.reportsRoot, { ...report, endedAt: new Date().toISOString() });
}

/** Uploads a release made by createRelease (with its signed manifest) and deploys it. */
export async function publishAndDeploy(options: RunContext, artifactPath: string, manifestPath: string, label: string): Promise<{ releaseId: string; deploymentId: string }> {
  const channel = options.channel;
  const published = await publishRelease(options, artifactPath, manifestPath, label);
  const deployment = await options.provider.deploy(
    { releaseId: published.id, pid: channel.pid, fwKey: channel.firmwareKey, channel: channel.name, boundKeys: options.boundKeys, type: 'forced', ...(options.devices?.length ? { devices: [...options.devices] } : {}) },
    options.signal,
  );
  return { releaseId: published.id, deploymentId: deployment.id };
}

/** Uploads a release made by createRelease (with its signed manifest), without deploying it. */
export async function publishRelease(options: RunContext, artifactPath: string, manifestPath: string, label: string): Promise<PublishedRelease> {
  const channel = options.channel;
  return options.provider.publish(
    { file: artifactPath, filename: basename(artifactPath), pid: channel.pid, fwKey: channel.firmwareKey, channel: channel.name, label, signedManifest: await readFile(manifestPath) },
    { signal: options.signal },
  );
}

/** A stopped run leaves no deployment behind that devices would go on taking. */
async function cancelDeployment(options: RunContext, id: string): Promise<void> {
  if (!(options.provider instanceof OtaProvider)) return;
  await options.provider.client.cancelDeployment(id).catch((err: unknown) => options.log.warn(`could not cancel deployment ${id}: ${describeError(err)}`));
}

export function stopReason(signal: AbortSignal): string {
  const r: unknown = signal.reason;
  return r instanceof Error && r.name !== 'AbortError' ? r.message : 'stopped by the user';
}

export async function finish(options: RunContext, report: RunReport, stopped: string | undefined): Promise<FinishedRun> {
  const final: RunReport = { ...report, endedAt: new Date().toISOString(), complete: stopped === undefined, ...(stopped ? { stoppedBecause: stopped } : {}) };
  const dir = await writeRunReport(options.reportsRoot, final);
  return { report: final, dir };
}

/**
 * A report of a deployment made elsewhere (the live demo's): waits for every device's outcome
 * and writes it as a one-cycle update run.
 */
export async function reportDeployment(options: RunContext, deployment: { releaseId: string; deploymentId: string; label: string; embeddedVersion: string }): Promise<FinishedRun> {
  const base = await startReport('update', options, new Date());
  const report = base.report;
  report.versions = { source: `release ${deployment.label}`, embedded: deployment.embeddedVersion, labels: [deployment.label] };
  const started = new Date().toISOString();
  const outcome = await waitForOutcomes(options.provider, deployment.deploymentId, base.waitFor, { timeoutMs: options.cycleTimeoutMs, pollMs: options.pollMs, signal: options.signal, sessionsFrom: 0 });
  const results = base.waitFor.map((deviceId) => {
    const session = outcome.sessions.get(deviceId);
    const notOffered = outcome.notOffered.get(deviceId);
    const running = outcome.devices.get(deviceId)?.attributes['version'];
    return deviceCycleFrom({ deviceId, cycle: 1, label: deployment.label, expected: deployment.embeddedVersion, ...(session ? { session } : {}), ...(notOffered !== undefined ? { notOffered } : {}), ...(running !== undefined ? { running } : {}) });
  });
  report.results.push(...results);
  report.cycles.push({ cycle: 1, label: deployment.label, releaseId: deployment.releaseId, deploymentId: deployment.deploymentId, startedAt: started, endedAt: new Date().toISOString(), counts: countResults(results) });
  return finish(options, report, options.signal.aborted ? stopReason(options.signal) : undefined);
}
