import type { ProgressCallback } from '../core/logger';
import type { StatusReport } from '../core/protocol/management';

/**
 * One interface for every push target — our own server (local or remote over HTTPS) and Eclipse
 * hawkBit — so the CLI, the OTA view and the live view treat them alike. Each method takes an
 * AbortSignal; uploads report progress in bytes.
 */
export interface PushProvider {
  /** `ota` (our server) or `hawkbit`: for messages and for what a server node offers. */
  readonly kind: ProviderKind;
  /** The server's name in the workspace config, or its URL when given on the command line. */
  readonly name: string;
  publish(request: PublishRequest, options?: OperationOptions): Promise<PublishedRelease>;
  deploy(request: DeployRequest, signal?: AbortSignal): Promise<DeployResult>;
  /** Devices, releases, deployments and update sessions in the live view's model. */
  status(signal?: AbortSignal): Promise<StatusReport>;
  /** Staged rollouts; undefined when the server has none. */
  readonly rollouts?: RolloutApi;
}

export type ProviderKind = 'ota' | 'hawkbit';

export interface OperationOptions {
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

/** A release as the workspace describes it: the image file plus who it is for. */
export interface PublishRequest {
  /** The image on disk; it is streamed, never read whole into memory. */
  file: string;
  /** The file name devices see; the base name of `file` when absent. */
  filename?: string;
  pid: string;
  fwKey: string;
  channel: string;
  /** The release label (the version a device is told it gets). */
  label: string;
  /** The signed manifest `ota release create` wrote, exactly as on disk. */
  signedManifest?: Buffer;
  /** The DDI chunk part (ours: bApp unless told; Zephyr accepts only bApp, spiffs marks an Arduino filesystem image). */
  part?: string;
}

export interface PublishedRelease {
  /** The provider's id for the release (ours: the release id; hawkBit: the distribution set id). */
  id: string;
  label: string;
  filename: string;
  size: number;
  sha256: string;
  /** The DDI chunk part, where the server keeps one (ours). */
  part?: string;
  md5: string;
  sha1: string;
  /** Lines a person should read: what was created, and what was found and reused. */
  notes: string[];
}

/**
 * soft: the device may postpone; forced: install now; downloadonly: fetch but do not install;
 * timeforced: soft until `forceTime`, then forced. Our own server knows soft and forced only.
 */
export type DeployType = 'soft' | 'forced' | 'downloadonly' | 'timeforced';
export const deployTypes: readonly DeployType[] = ['soft', 'forced', 'downloadonly', 'timeforced'];

/** hawkBit's maintenance window: a Quartz cron schedule, a duration `HH:mm:ss`, a UTC offset. */
export interface MaintenanceWindow {
  schedule: string;
  duration: string;
  timezone: string;
}

export interface DeployRequest {
  releaseId: string;
  pid: string;
  fwKey: string;
  channel: string;
  /**
   * Device ids. Absent: every device whose reported PID, key and channel match (the key may be
   * any bound to the PID: `boundKeys`).
   */
  devices?: string[];
  boundKeys?: readonly string[];
  type: DeployType;
  /** Epoch ms; only with `timeforced`. */
  forceTime?: number;
  maintenanceWindow?: MaintenanceWindow;
}

export interface DeployResult {
  id: string;
  /** The devices an update was created for (empty for our server's "every matching device"). */
  devices: string[];
  /** Devices that already had it (hawkBit's `alreadyAssigned`). */
  alreadyAssigned: number;
  notes: string[];
}

export interface RolloutRequest {
  name: string;
  releaseId: string;
  /** Who it is for; hawkBit needs key and channel, our server defaults to the release's own. */
  pid?: string;
  fwKey?: string;
  channel?: string;
  boundKeys?: readonly string[];
  /** How many equal groups. */
  groups: number;
  /** Our server: one entry per group, a device count or a percentage (the last takes the rest); overrides `groups`. */
  groupSizes?: ({ count: number } | { percent: number })[];
  /** Our server: these devices instead of every matching one. */
  devices?: string[];
  /** `approve`: each next group waits for `approve` (our server). Default `auto`. */
  advance?: 'auto' | 'approve';
  /** Percent of a group that must succeed before the next starts (hawkBit default 50). */
  successThreshold?: number;
  /** Percent of a group that may fail before the rollout pauses (hawkBit default 50). */
  errorThreshold?: number;
  type?: DeployType;
  forceTime?: number;
}

export type RolloutState = 'creating' | 'ready' | 'starting' | 'running' | 'paused' | 'finished' | 'stopped' | 'other';

export interface RolloutStatus {
  id: string;
  name: string;
  /** hawkBit's own status word, e.g. `waiting_for_approval`. */
  status: string;
  state: RolloutState;
  totalTargets: number;
  /** scheduled, running, error, finished, cancelled, notstarted. */
  perStatus: Record<string, number>;
  groups: { id: string; name: string; status: string; totalTargets: number; perStatus: Record<string, number> }[];
  /** Why it is paused, waiting or over, where the server says (ours). */
  reason?: string;
}

export interface RolloutApi {
  create(request: RolloutRequest, signal?: AbortSignal): Promise<RolloutStatus>;
  /** Waits until the rollout's groups are built (`ready`), then starts it. */
  start(id: string, options?: { signal?: AbortSignal; timeoutMs?: number }): Promise<RolloutStatus>;
  pause(id: string, signal?: AbortSignal): Promise<RolloutStatus>;
  resume(id: string, signal?: AbortSignal): Promise<RolloutStatus>;
  status(id: string, signal?: AbortSignal): Promise<RolloutStatus>;
  list(signal?: AbortSignal): Promise<RolloutStatus[]>;
  /** Starts the next group now (ours: the approve a waiting rollout needs; hawkBit: triggerNextGroup). */
  approve(id: string, signal?: AbortSignal): Promise<RolloutStatus>;
  /** Stops the rollout for good (ours: cancel, open updates end; hawkBit ≥ 0.10: stop). */
  cancel(id: string, signal?: AbortSignal): Promise<RolloutStatus>;
}
