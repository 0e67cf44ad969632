import { OtaError, describeError } from '../../core/errors';
import { inspectImage } from '../../core/image/inspectImage';
import { readImageFile } from '../../core/image/readImageFile';
import { deviceFacts } from '../../core/plan/deviceFacts';
import type { KnownRelease } from '../../core/plan/deviceFacts';
import { predictRollback, rollbackImageOf } from '../../core/plan/rollbackPrediction';
import type { DeviceRollbackPrediction, RollbackImage } from '../../core/plan/rollbackPrediction';
import { countResults, deviceCycleFrom } from '../../core/plan/runReport';
import type { DeviceResult, RollbackSection } from '../../core/plan/runReport';
import { createRelease } from '../../core/release/createRelease';
import { channelReleaseDir, listReleases } from '../../core/release/releaseStore';
import type { StoredRelease } from '../../core/release/releaseStore';
import { bumpSemver, compareSemver, formatSemver, requireSemver } from '../../core/version/semver';
import { readFleetStatus } from './fleetStatus';
import type { FinishedRun, RunContext } from './stressRun';
import { finish, publishAndDeploy, startReport, stopReason } from './stressRun';
import { waitForOutcomes } from './waitForOutcomes';

export interface RollbackOptions extends RunContext {
  /** The earlier release label whose image goes out again under a higher label. */
  to: string;
  /** Shown the per-device prediction before anything is released; false stops the run there. */
  confirm: (plan: RollbackPlan) => Promise<boolean>;
}

export interface RollbackPlan {
  to: string;
  label: string;
  image: RollbackImage;
  predictions: DeviceRollbackPrediction[];
}

/**
 * Predicts, per device, what an image-of-`to` under the next label will do; asks; then releases,
 * deploys and waits for each device's outcome, and reports outcome against prediction.
 */
export async function runRollback(options: RollbackOptions): Promise<FinishedRun> {
  const base = await startReport('rollback', options, new Date());
  const report = base.report;
  const plan = await planRollback(options, base.waitFor);
  report.versions = { source: `release ${plan.to}`, embedded: plan.image.embeddedVersion, labels: [] };
  const section: RollbackSection = {
    to: plan.to,
    label: plan.label,
    embeddedVersion: plan.image.embeddedVersion,
    ...(plan.image.secureVersion !== undefined ? { secureVersion: plan.image.secureVersion } : {}),
    ...(plan.image.securityCounter !== undefined ? { securityCounter: plan.image.securityCounter } : {}),
    predictions: plan.predictions,
    outcomes: [],
  };
  report.rollback = section;
  if (!(await options.confirm(plan))) return finish(options, report, 'not confirmed: nothing was released or deployed');
  let stopped: string | undefined;
  try {
    options.onProgress?.({ cycle: 1, cycles: 1, done: 0, total: base.waitFor.length, message: `making rollback release ${plan.label} from ${plan.to}` });
    const created = await createRelease({
      channel: options.channel,
      folder: options.folder,
      releasesRoot: options.releasesRoot,
      mode: { kind: 'rollback', from: plan.to },
      label: plan.label,
      restamp: false,
      build: false,
      key: options.key,
      production: options.production,
      ...(options.hmacSecret ? { hmacSecret: options.hmacSecret } : {}),
      buildOptions: { env: {}, signal: options.signal, log: options.log },
      log: options.log,
    });
    const cycleStart = new Date().toISOString();
    const deployed = await publishAndDeploy(options, created.artifactPath, created.manifestPath, plan.label);
    report.versions.labels.push(plan.label);
    const outcome = await waitForOutcomes(options.provider, deployed.deploymentId, base.waitFor, {
      timeoutMs: options.cycleTimeoutMs,
      pollMs: options.pollMs,
      signal: options.signal,
      sessionsFrom: base.sessionsFrom,
      onPoll: (done, total) => options.onProgress?.({ cycle: 1, cycles: 1, done, total, message: `${done}/${total} devices have an outcome` }),
    });
    const results = base.waitFor.map((deviceId) => {
      const session = outcome.sessions.get(deviceId);
      const notOffered = outcome.notOffered.get(deviceId);
      const running = outcome.devices.get(deviceId)?.attributes['version'];
      return deviceCycleFrom({ deviceId, cycle: 1, label: plan.label, expected: plan.image.embeddedVersion, ...(session ? { session } : {}), ...(notOffered !== undefined ? { notOffered } : {}), ...(running !== undefined ? { running } : {}) });
    });
    report.results.push(...results);
    report.cycles.push({ cycle: 1, label: plan.label, releaseId: deployed.releaseId, deploymentId: deployed.deploymentId, startedAt: cycleStart, endedAt: new Date().toISOString(), counts: countResults(results) });
    section.outcomes = plan.predictions.map((p) => {
      const actual = results.find((r) => r.deviceId === p.deviceId)?.result ?? 'timed-out';
      return { deviceId: p.deviceId, predicted: p.verdict, actual, matches: asPredicted(p.verdict, actual) };
    });
    if (options.signal.aborted) stopped = stopReason(options.signal);
  } catch (err) {
    stopped = options.signal.aborted ? stopReason(options.signal) : describeError(err);
  }
  return finish(options, report, stopped);
}

function asPredicted(predicted: DeviceRollbackPrediction['verdict'], actual: DeviceResult): boolean | undefined {
  if (predicted === 'unknown' || actual === 'timed-out' || actual === 'cancelled' || actual === 'not-offered') return undefined;
  // A downgrade MCUboot refuses at boot comes back as a failed update, not a rejection.
  return predicted === 'refused' ? actual === 'refused' || actual === 'failed' : actual === 'succeeded';
}

/** The prediction alone (also what `ota rollback` shows before asking). */
export async function planRollback(options: RunContext & { to: string }, deviceIds: readonly string[]): Promise<RollbackPlan> {
  const releases = await listReleases(channelReleaseDir(options.releasesRoot, options.channel.pid, options.channel.name));
  const wanted = options.to.replace(/^v/, '');
  const from = releases.find((r) => r.manifest.label === wanted);
  if (!from) {
    throw new OtaError(`channel ${options.channel.name} has no release ${options.to} to roll back to`, {
      where: channelReleaseDir(options.releasesRoot, options.channel.pid, options.channel.name),
      hint: `Known releases: ${releases.map((r) => r.manifest.label).join(', ') || 'none'}.`,
      code: 'release-missing',
    });
  }
  const highest = releases.map((r) => requireSemver(r.manifest.label)).sort(compareSemver).at(-1)!;
  const label = formatSemver(bumpSemver(highest, 'patch'));
  const known = await Promise.all(releases.map(knownRelease));
  const image = rollbackImageOf(await inspectStored(from), label);
  const status = await readFleetStatus(options.provider, options.signal);
  const predictions = deviceIds.map((id) => {
    const device = status.devices.find((d) => d.id === id);
    if (!device) return predictRollback(image, { id, source: 'the server has not seen this device' });
    return predictRollback(image, deviceFacts(device, status.sessions, status.releases, known));
  });
  return { to: from.manifest.label, label, image, predictions };
}

async function inspectStored(r: StoredRelease) {
  const { bytes } = await readImageFile(r.artifactPath);
  return inspectImage(bytes, r.artifactPath);
}

async function knownRelease(r: StoredRelease): Promise<KnownRelease> {
  const m = r.manifest;
  // The security counter lives in the MCUboot TLVs only, not in the manifest.
  const counter = m.format === 'mcuboot' ? await inspectStored(r).then((i) => (i.format === 'mcuboot' ? i.securityCounter : undefined), () => undefined) : undefined;
  return { label: m.label, embeddedVersion: m.embeddedVersion, ...(m.secureVersion !== undefined ? { secureVersion: m.secureVersion } : {}), ...(counter !== undefined ? { securityCounter: counter } : {}) };
}
