import { relative } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { OtaError, describeError } from '../../core/errors';
import { countResults, deviceCycleFrom } from '../../core/plan/runReport';
import type { CycleSummary, DeviceCycle, RolloutSection, RolloutTimelineEntry } from '../../core/plan/runReport';
import type { RolloutSummary } from '../../core/protocol/management';
import { OtaProvider } from '../ota/otaProvider';
import type { FinishedRun, RunContext } from './stressRun';
import { finish, makeUpdateRelease, publishRelease, startReport, stopReason } from './stressRun';
import { waitForOutcomes } from './waitForOutcomes';

export interface RolloutRunOptions extends RunContext {
  /** Equal groups the devices are split into, in device order. */
  groups: number;
  /** Percent of a group that must run the release before the next group starts. */
  successThreshold: number;
  /** Percent of a group that may fail; more pauses the rollout. */
  errorThreshold: number;
  /** Called right before the rollout starts (a simulated fleet arms its one-shot faults). */
  beforeStart?: () => void;
  /**
   * Called once the rollout paused at its error threshold and the failing group has settled:
   * removes the cause and says what it did, for the report. Absent: the run ends at the pause.
   */
  fix?: () => Promise<string> | string;
}

/**
 * A staged rollout of the next release to `waitFor` (or every matching device), on our own server:
 * released, split into groups, started; waited for (bounded by `cycleTimeoutMs` per phase) until it
 * finishes or pauses at its error threshold; after a pause, `fix`, resume, and wait to the end.
 * The report holds the groups, the state timeline, and one cycle per deployment the rollout made.
 */
export async function runRollout(options: RolloutRunOptions): Promise<FinishedRun> {
  const provider = options.provider;
  if (!(provider instanceof OtaProvider)) {
    throw new OtaError(`a staged-rollout run needs an OTA Workbench server; ${provider.name} is ${provider.kind}`, {
      hint: 'run it against `ota serve` or the embedded server (hawkBit rollouts have no per-device sessions to report)',
      code: 'usage',
    });
  }
  const base = await startReport('rollout', options, new Date());
  const report = base.report;
  let stopped: string | undefined;
  let rolloutId: string | undefined;
  let finalState: RolloutSummary | undefined;
  const say = (message: string, s?: RolloutSummary) =>
    options.onProgress?.({ cycle: 1, cycles: 1, done: s ? s.counts.succeeded + s.counts.failed : 0, total: s?.counts.total ?? base.waitFor.length, message });
  try {
    say('making the release');
    const created = await makeUpdateRelease(options);
    const m = created.manifest;
    report.versions = { source: relative(options.folder, created.source) || created.source, embedded: m.embeddedVersion, labels: [m.label] };
    const published = await publishRelease(options, created.artifactPath, created.manifestPath, m.label);
    const c = options.channel;
    const made = await provider.rollouts.create(
      {
        name: report.id,
        releaseId: published.id,
        pid: c.pid,
        fwKey: c.firmwareKey,
        channel: c.name,
        boundKeys: options.boundKeys,
        groups: options.groups,
        devices: base.waitFor,
        successThreshold: options.successThreshold,
        errorThreshold: options.errorThreshold,
        advance: 'auto',
        type: 'forced',
      },
      options.signal,
    );
    rolloutId = made.id;
    const section = sectionOf(await provider.client.rollout(made.id, options.signal), m.label);
    report.rollout = section;
    options.beforeStart?.();
    await provider.rollouts.start(made.id, { signal: options.signal });
    let s = await provider.client.rollout(made.id, options.signal);
    observe(section, s, 'started');
    say(`rollout ${made.id} of ${m.label} started: ${s.groups.length} groups, error threshold ${options.errorThreshold}%`, s);
    const phase = async (until: (x: RolloutSummary) => boolean, what: string): Promise<RolloutSummary> => {
      s = await waitForRollout(provider, made.id, section, until, options, (x) => say(`${what}: ${progressLine(x)}`, x));
      return s;
    };
    s = await phase((x) => x.state !== 'running' && x.state !== 'waiting', 'rolling out');
    if (s.state === 'paused' && options.fix) {
      // A device of the failing group still updating would be left out of the retry: let it end.
      s = await phase((x) => x.state !== 'paused' || x.groups.every((g) => g.state !== 'error' || g.counts.running + g.counts.pending === 0), 'paused; waiting for the failing group to settle');
      if (s.state === 'paused' && !options.signal.aborted) {
        const fixed = await options.fix();
        observe(section, s, `fixed the cause: ${fixed}`, true);
        say(`fixed the cause (${fixed}); resuming`, s);
        await provider.rollouts.resume(made.id, options.signal);
        s = await provider.client.rollout(made.id, options.signal);
        observe(section, s, 'resumed', true);
        s = await phase((x) => x.state !== 'running' && x.state !== 'waiting', 'resumed');
      }
    }
    finalState = s;
    if (options.signal.aborted) stopped = stopReason(options.signal);
    else if (s.state !== 'finished') stopped = `the rollout is ${s.state}${s.reason ? ` (${s.reason})` : ''} after waiting ${Math.round(options.cycleTimeoutMs / 1000)} s`;
  } catch (err) {
    stopped = options.signal.aborted ? stopReason(options.signal) : describeError(err);
    options.log.error(`rollout run: ${stopped}`);
  }
  if (rolloutId !== undefined && report.rollout) {
    try {
      // A stopped run leaves no rollout behind that goes on offering the release.
      if (options.signal.aborted && finalState?.state !== 'finished') await provider.rollouts.cancel(rolloutId).catch((err: unknown) => options.log.warn(`could not cancel rollout ${rolloutId}: ${describeError(err)}`));
      const last = await provider.client.rollout(rolloutId);
      observe(report.rollout, last);
      await recordSessions(options, report, base.sessionsFrom);
    } catch (err) {
      stopped ??= `reading the rollout's sessions: ${describeError(err)}`;
    }
  }
  return finish(options, report, stopped);
}

function sectionOf(s: RolloutSummary, label: string): RolloutSection {
  return {
    id: s.id,
    name: s.name,
    label,
    releaseId: s.releaseId,
    successThreshold: s.successThreshold,
    errorThreshold: s.errorThreshold,
    advance: s.advance,
    state: s.state,
    ...(s.reason ? { reason: s.reason } : {}),
    groups: s.groups.map((g) => ({ name: g.name, devices: g.devices ?? [], state: g.state, counts: g.counts, deploymentIds: g.deploymentIds })),
    timeline: [],
  };
}

/** Takes the rollout's state into the section; a change (or an action of the run) adds a timeline entry. */
function observe(section: RolloutSection, s: RolloutSummary, action?: string, always = false): void {
  const fresh = sectionOf(s, section.label);
  section.state = fresh.state;
  if (fresh.reason) section.reason = fresh.reason;
  else delete section.reason;
  // The list without devices (a summary) keeps the devices seen before.
  section.groups = fresh.groups.map((g, i) => ({ ...g, devices: g.devices.length ? g.devices : (section.groups[i]?.devices ?? []) }));
  const entry: RolloutTimelineEntry = { at: new Date().toISOString(), state: s.state, ...(s.reason ? { reason: s.reason } : {}), groups: s.groups.map((g) => g.state), ...(action ? { action } : {}) };
  const prev = section.timeline.at(-1);
  if (always || action || !prev || prev.state !== entry.state || prev.reason !== entry.reason || prev.groups.join() !== entry.groups.join()) section.timeline.push(entry);
}

function progressLine(s: RolloutSummary): string {
  return s.groups.map((g) => `${g.name} ${g.state} ${g.counts.succeeded}✓ ${g.counts.failed}✗ of ${g.counts.total}`).join(', ');
}

async function waitForRollout(provider: OtaProvider, id: string, section: RolloutSection, until: (s: RolloutSummary) => boolean, options: RolloutRunOptions, onPoll: (s: RolloutSummary) => void): Promise<RolloutSummary> {
  const deadline = Date.now() + options.cycleTimeoutMs;
  for (;;) {
    const s = await provider.client.rollout(id, options.signal);
    observe(section, s);
    onPoll(s);
    if (until(s) || Date.now() >= deadline || options.signal.aborted) return s;
    await delay(Math.min(options.pollMs, Math.max(0, deadline - Date.now())), undefined, { signal: options.signal }).catch(() => undefined);
  }
}

/**
 * One cycle per deployment the rollout made, in group order: a group's first deployment covers
 * all its devices; a retry (made on resume) covers the devices that had failed.
 */
async function recordSessions(options: RolloutRunOptions, report: FinishedRun['report'], sessionsFrom: number): Promise<void> {
  const section = report.rollout!;
  const label = section.label;
  const expected = report.versions.embedded;
  let cycle = 0;
  for (const g of section.groups) {
    for (const [k, deploymentId] of g.deploymentIds.entries()) {
      // One read, no waiting: the rollout has ended (or the run stopped waiting).
      const outcome = await waitForOutcomes(options.provider, deploymentId, g.devices, { timeoutMs: 0, pollMs: 0, signal: options.signal, sessionsFrom });
      const devices = k === 0 ? g.devices : g.devices.filter((d) => outcome.sessions.has(d));
      cycle++;
      const results: DeviceCycle[] = devices.map((deviceId) => {
        const session = outcome.sessions.get(deviceId);
        const notOffered = outcome.notOffered.get(deviceId);
        const running = outcome.devices.get(deviceId)?.attributes['version'];
        return deviceCycleFrom({ deviceId, cycle, label, expected, ...(session ? { session } : {}), ...(notOffered !== undefined ? { notOffered } : {}), ...(running !== undefined ? { running } : {}) });
      });
      report.results.push(...results);
      const starts = results.map((r) => r.startedAt).filter((t): t is string => t !== undefined).sort();
      const ends = results.map((r) => r.endedAt).filter((t): t is string => t !== undefined).sort();
      const summary: CycleSummary = {
        cycle,
        label,
        group: k === 0 ? g.name : `${g.name}, retry ${k}`,
        releaseId: section.releaseId,
        deploymentId,
        startedAt: starts[0] ?? report.startedAt,
        endedAt: ends.at(-1) ?? new Date().toISOString(),
        counts: countResults(results),
      };
      report.cycles.push(summary);
    }
  }
}
