import type { RolloutCounts, RolloutGroupState, RolloutStateName, UpdateSession } from '../protocol/management';
import type { DeviceRollbackPrediction, RollbackVerdict } from './rollbackPrediction';

/** The seed's limits, marked on every chart: 60 s offline window, 20 kbps minimum bandwidth. */
export const seedLimits = { offlineSeconds: 60, minKbps: 20 } as const;

export const runReportSchema = 'ota-workbench/run-report@1';

/**
 * How one device ended one cycle. `refused`: the device rejected the image (its own check, e.g.
 * anti-rollback); `timed-out`: no outcome before the run's wait ran out; `not-offered`: the server
 * never offered it (key, channel), with the reason.
 */
export type DeviceResult = 'succeeded' | 'failed' | 'refused' | 'cancelled' | 'timed-out' | 'not-offered';
export const deviceResults: readonly DeviceResult[] = ['succeeded', 'failed', 'refused', 'cancelled', 'timed-out', 'not-offered'];

export interface DeviceCycle {
  deviceId: string;
  cycle: number;
  label: string;
  result: DeviceResult;
  reason?: string;
  sessionId?: string;
  startedAt?: string;
  endedAt?: string;
  durationMs?: number;
  /** Distinct image bytes served, and every image byte sent (repeats included). */
  bytes: number;
  bytesSent: number;
  /** Bytes sent more than once (a drop cost them). */
  bytesTwice: number;
  resumes: number;
  /** Time offline in the middle of the download, as the server saw it. */
  offlineMs: number;
  meanKbps?: number;
  minKbps?: number;
  versionBefore?: string;
  /** What the device reports running after the cycle. */
  running?: string;
  /** The version the image carries inside: what a device that installed it runs. */
  expected: string;
  /** Whether the device runs `expected` (undefined while it has not reported). */
  runsExpected?: boolean;
  /** For people: e.g. "runs 1.0.0, the version inside the image; the label 1.0.1 is only the server's". */
  versionNote: string;
}

export interface CycleSummary {
  cycle: number;
  label: string;
  /** A rollout's deployment: the group it went to, e.g. "group 2" or "group 2, retry 1". */
  group?: string;
  releaseId: string;
  deploymentId: string;
  startedAt: string;
  endedAt: string;
  counts: Record<DeviceResult, number>;
}

export interface RollbackSection {
  to: string;
  label: string;
  embeddedVersion: string;
  secureVersion?: number;
  securityCounter?: number;
  predictions: DeviceRollbackPrediction[];
  /** Filled after the deployment: prediction against what happened. */
  outcomes: { deviceId: string; predicted: RollbackVerdict; actual: DeviceResult; matches: boolean | undefined }[];
}

/** One group of a staged rollout as the server had it at the end of the run. */
export interface RolloutGroupReport {
  name: string;
  devices: string[];
  state: RolloutGroupState;
  counts: RolloutCounts;
  /** The group's deployments: the first when it started, one more per resume that retried its failed devices. */
  deploymentIds: string[];
}

/** A change of the rollout's state (or of a group's) as the run saw it, or something the run did. */
export interface RolloutTimelineEntry {
  at: string;
  state: RolloutStateName;
  /** The server's words for why (paused at the error threshold, finished…). */
  reason?: string;
  /** Each group's state at that moment, in group order. */
  groups: RolloutGroupState[];
  /** What the run did right then: started it, fixed the cause, resumed it. */
  action?: string;
}

export interface RolloutSection {
  id: string;
  name: string;
  label: string;
  releaseId: string;
  successThreshold: number;
  errorThreshold: number;
  advance: 'auto' | 'approve';
  /** Its state when the run ended. */
  state: RolloutStateName;
  reason?: string;
  groups: RolloutGroupReport[];
  timeline: RolloutTimelineEntry[];
}

export interface RunReport {
  schema: typeof runReportSchema;
  kind: 'stress' | 'rollback' | 'update' | 'rollout';
  id: string;
  startedAt: string;
  endedAt: string;
  /** False when the run was stopped (Ctrl-C, cancel): the report holds what finished. */
  complete: boolean;
  stoppedBecause?: string;
  tool: { name: string; version: string };
  server: { name: string; kind: string; version?: string; offlineTimeoutMs?: number; minBandwidthBps?: number };
  parameters: Record<string, string | number | boolean | string[]>;
  channel: { name: string; pid: string; firmwareKey: string; format: string };
  /** The image every cycle re-releases (stress) or rolls back to, and the labels it went out under. */
  versions: { source: string; embedded: string; labels: string[] };
  limits: typeof seedLimits;
  devices: string[];
  cycles: CycleSummary[];
  results: DeviceCycle[];
  rollback?: RollbackSection;
  /** A staged rollout run: its cycles are the rollout's deployments (one per group, one more per retry). */
  rollout?: RolloutSection;
}

/** How a device ended a cycle, from its session for the cycle's deployment (if any). */
export function deviceCycleFrom(
  input: { deviceId: string; cycle: number; label: string; expected: string; session?: UpdateSession; notOffered?: string; running?: string },
): DeviceCycle {
  const s = input.session;
  const result = resultOf(s, input.notOffered);
  // What the device reports at the end of the cycle: after a refusal or failure, what it kept.
  const running = s?.version?.running ?? input.running;
  const bytes = s?.bytesServed ?? 0;
  const bytesSent = Math.max(s?.bytesSent ?? bytes, bytes);
  const duration = s?.endedAt ? Date.parse(s.endedAt) - Date.parse(s.startedAt) : undefined;
  const runsExpected = running === undefined || result !== 'succeeded' ? undefined : running === input.expected;
  const reason = result === 'not-offered' ? input.notOffered : result === 'timed-out' ? `no outcome before the run stopped waiting${s ? ` (session ${s.id} was ${s.state})` : ''}` : s?.failureReason;
  return {
    deviceId: input.deviceId,
    cycle: input.cycle,
    label: input.label,
    result,
    ...(reason ? { reason } : {}),
    ...(s ? { sessionId: s.id, startedAt: s.startedAt } : {}),
    ...(s?.endedAt ? { endedAt: s.endedAt } : {}),
    ...(duration !== undefined ? { durationMs: duration } : {}),
    bytes,
    bytesSent,
    bytesTwice: bytesSent - bytes,
    resumes: s?.resumes ?? 0,
    offlineMs: s?.offlineMs ?? 0,
    ...(s?.throughputBps !== undefined ? { meanKbps: s.throughputBps / 1000 } : {}),
    ...(s?.minThroughputBps !== undefined ? { minKbps: s.minThroughputBps / 1000 } : s?.throughputBps !== undefined ? { minKbps: s.throughputBps / 1000 } : {}),
    ...(s?.versionBefore !== undefined ? { versionBefore: s.versionBefore } : {}),
    ...(running !== undefined ? { running } : {}),
    expected: input.expected,
    ...(runsExpected !== undefined ? { runsExpected } : {}),
    versionNote: versionNote(input.label, input.expected, running, result),
  };
}

function resultOf(s: UpdateSession | undefined, notOffered: string | undefined): DeviceResult {
  if (!s) return notOffered !== undefined ? 'not-offered' : 'timed-out';
  if (s.state === 'succeeded') return 'succeeded';
  if (s.state === 'cancelled') return 'cancelled';
  if (s.state === 'failed') return /^device rejected/.test(s.failureReason ?? '') ? 'refused' : 'failed';
  // Still open when the run stopped waiting.
  return 'timed-out';
}

function versionNote(label: string, expected: string, running: string | undefined, result: DeviceResult): string {
  if (running === undefined) return result === 'succeeded' ? 'installed; the device has not reported what it runs' : `not installed`;
  if (result !== 'succeeded') return `not installed: still runs ${running}`;
  if (running === label) return `runs ${running}, the label`;
  if (running === expected) return `runs ${running}, the version inside the image (the label ${label} is only the server's: expected for a relabelled image, not a failure)`;
  return `runs ${running}: neither the label ${label} nor the image's ${expected}`;
}

export function countResults(results: readonly DeviceCycle[]): Record<DeviceResult, number> {
  const counts = Object.fromEntries(deviceResults.map((r) => [r, 0])) as Record<DeviceResult, number>;
  for (const r of results) counts[r.result]++;
  return counts;
}

/** A run id that sorts by time and is safe as a folder name: stress-20261202-0103-42. */
export function runId(kind: RunReport['kind'], at: Date): string {
  const iso = at.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${kind}-${iso.slice(0, 13)}-${iso.slice(13, 15)}`;
}

export function runTitle(kind: RunReport['kind']): string {
  return kind === 'stress' ? 'Stress test' : kind === 'rollback' ? 'Rollback' : kind === 'rollout' ? 'Staged rollout' : 'Update';
}
