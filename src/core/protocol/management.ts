/**
 * The management API of our OTA server (bearer token), shared by the server, the CLI client, the
 * extension and the device simulator. All bodies are JSON; paths are under `/api/v1`.
 */

/** What the uploader declares before sending bytes; the server checks the hashes on arrival. */
export interface ReleaseManifest {
  pid: string;
  fwKey: string;
  channel: string;
  /** The server-side version label (may differ from the version inside the image). */
  label: string;
  filename: string;
  size: number;
  sha256?: string;
  md5?: string;
  sha1?: string;
  /**
   * The DDI chunk `part` (hawkBit's module type key). Default `bApp` (see ddiDefaultPart), which
   * every hawkBit client we replay accepts; `spiffs` marks a filesystem image for Arduino clients
   * asking with `x-ESP*-mode: spiffs` (see arduinoFilesystemPart).
   */
  part?: string;
  notes?: string;
  /**
   * The release's signed manifest file (`ota-workbench/release-manifest@1`, see
   * src/core/release/manifest.ts), base64 of its bytes exactly as on disk. The server checks
   * that it is one and that its sha256/size describe the uploaded image, keeps the bytes as they
   * are and serves them to devices next to the image (`<filename>.manifest.json`).
   */
  signedManifest?: string;
}

/** The signed manifest a release carries, as devices download it (`<filename>.manifest.json`). */
export interface ReleaseManifestFile {
  filename: string;
  size: number;
  sha256: string;
  md5: string;
  sha1: string;
}

export interface Release {
  id: string;
  pid: string;
  fwKey: string;
  channel: string;
  label: string;
  filename: string;
  size: number;
  sha256: string;
  md5: string;
  sha1: string;
  part: string;
  notes?: string;
  /** Present when the release was uploaded with its signed manifest. */
  signedManifest?: ReleaseManifestFile;
  createdAt: string;
}

/** An upload in progress: `offset` bytes are stored; send the rest with `Upload-Offset: offset`. */
export interface UploadState {
  id: string;
  offset: number;
  size: number;
  manifest: ReleaseManifest;
}

export type DeploymentType = 'soft' | 'forced';

export interface DeploymentRequest {
  releaseId: string;
  /** Default to the release's own pid / key / channel. */
  pid?: string;
  fwKey?: string;
  channel?: string;
  /** Device ids; omitted means every device that matches. */
  devices?: string[];
  type?: DeploymentType;
}

export interface Deployment {
  id: string;
  releaseId: string;
  pid: string;
  fwKey: string;
  channel: string;
  devices: string[] | 'all';
  type: DeploymentType;
  state: 'active' | 'cancelled';
  createdAt: string;
  cancelledAt?: string;
  /** Set on the deployments a staged rollout makes for its groups: which rollout, which group (0-based). */
  rolloutId?: string;
  rolloutGroup?: number;
}

export interface Product {
  pid: string;
  keys: string[];
}

export type DeviceProtocol = 'ddi' | 'arduino' | 'plain';

/** Why a deployment was not offered to a device, in words a developer can act on. */
export interface WhyNotOffered {
  deploymentId: string;
  reason: string;
  at: string;
}

export interface Device {
  id: string;
  protocol: DeviceProtocol;
  attributes: Record<string, string>;
  /**
   * The device has reported its attributes at least once (a DDI configData PUT, whatever it held).
   * hawkBit stops offering the configData link after that, and so do we: a client that reports
   * other attributes than ours (Zephyr sends only VIN) would otherwise PUT again on every poll.
   */
  attributesReported?: boolean;
  firstSeen: string;
  lastSeen: string;
  whyNot: WhyNotOffered[];
}

export type SessionState = 'offered' | 'downloading' | 'downloaded' | 'installing' | 'succeeded' | 'failed' | 'cancelled';

export interface UpdateSession {
  id: string;
  deploymentId: string;
  releaseId: string;
  deviceId: string;
  state: SessionState;
  size: number;
  /** Distinct bytes of the image served to the device so far. */
  bytesServed: number;
  /** 0..1, from bytes served and, once the device reports it, from feedback. */
  progress: number;
  startedAt: string;
  lastActivity: string;
  endedAt?: string;
  failureReason?: string;
  /** Measured throughput of the last transfer, bits per second. */
  throughputBps?: number;
  /** True once a transfer ran under the minimum bandwidth (20 kbps by default). */
  slow: boolean;
  /** Every image byte sent, repeats included (absent from older servers): minus bytesServed, what drops cost. */
  bytesSent?: number;
  /** Times the device came back mid-download and went on (DDI `resumed` feedback, or a request after silence). */
  resumes?: number;
  /** Time the device was silent in the middle of the download, ms (gaps over a second). */
  offlineMs?: number;
  /** The slowest single transfer long enough to measure, bits per second. */
  minThroughputBps?: number;
  details: string[];
  /** Cancelled on the server; the DDI device has not acknowledged the cancelAction yet. */
  cancelPending?: boolean;
  /** The version the device reported when the session opened (what it ran before the update). */
  versionBefore?: string;
  /** Set when the session succeeds: what the device runs now against what the release says. */
  version?: VersionOutcome;
}

/**
 * `label`: the device runs the release label (a normal update). `embedded`: it runs the version
 * inside the image, not the label (the seed's stress and rollback releases; apps that compare the
 * reported version with the label show these as failed updates). `other`: neither. `unreported`:
 * the device has not said what it runs yet.
 */
export type VersionVerdict = 'label' | 'embedded' | 'other' | 'unreported';

/** The session stays `succeeded` (the device installed what it was offered); this says what runs. */
export interface VersionOutcome {
  label: string;
  /** The version inside the image (from the release's signed manifest or the image header). */
  embedded?: string;
  /** What the device reports running after the update. */
  running?: string;
  verdict: VersionVerdict;
  /** For people: `ota status`, the live view. */
  summary: string;
}

export type ServerEventType =
  | 'release.created'
  | 'release.deleted'
  | 'product.keys'
  | 'deployment.created'
  | 'deployment.cancelled'
  | 'device.seen'
  | 'device.attributes'
  | 'device.not-offered'
  /** The why-not record of `{deviceId, deploymentId}` is gone (the device is offered it now). */
  | 'device.not-offered-cleared'
  | 'session.updated'
  /** A staged rollout (data: its RolloutSummary, `reason` saying why when it paused or failed over). */
  | 'rollout.created'
  | 'rollout.started'
  | 'rollout.group-started'
  | 'rollout.group-succeeded'
  | 'rollout.waiting'
  | 'rollout.paused'
  | 'rollout.resumed'
  | 'rollout.finished'
  | 'rollout.cancelled'
  | 'rollout.deleted'
  /** Counts of a running rollout changed (a device of it finished); not kept in the event history. */
  | 'rollout.progress';

/**
 * A staged rollout: the devices a release is for, split into groups that get it one after the
 * other. A group starts as a deployment to its devices; it succeeds once `successThreshold` percent
 * of them run the release, and then the next group starts (`advance: "auto"`) or waits for an
 * approve (`"approve"`). A group in which more than `errorThreshold` percent failed pauses the rollout.
 */
export type RolloutStateName = 'ready' | 'running' | 'waiting' | 'paused' | 'finished' | 'cancelled';
export type RolloutGroupState = 'scheduled' | 'running' | 'succeeded' | 'error';
export type RolloutAdvance = 'auto' | 'approve';

/** One group of a rollout request: so many devices, or a percentage of them. */
export type RolloutGroupSpec = { count: number } | { percent: number };

/** `POST /api/v1/rollouts`. */
export interface RolloutRequestBody {
  name: string;
  releaseId: string;
  /** Default to the release's own; the devices are those that report them (and a key bound to the PID). */
  pid?: string;
  fwKey?: string;
  channel?: string;
  /** These devices instead of every matching one the server knows. */
  devices?: string[];
  /** N equal groups, or one entry per group; the last group also takes any devices left over. */
  groups: number | RolloutGroupSpec[];
  /** Percent of a group that must succeed before the next group starts (default 100). */
  successThreshold?: number;
  /** Percent of a group that may fail; more pauses the rollout (default 0: the first failure pauses). */
  errorThreshold?: number;
  /** Default `auto`. */
  advance?: RolloutAdvance;
  type?: DeploymentType;
}

/** Devices of a group (or a whole rollout) by where their update stands. */
export interface RolloutCounts {
  total: number;
  /** Not offered yet (the group has not started, or the device has not asked since). */
  pending: number;
  running: number;
  succeeded: number;
  /** Failed, or cancelled before it finished. */
  failed: number;
}

export interface RolloutGroupStatus {
  index: number;
  name: string;
  state: RolloutGroupState;
  counts: RolloutCounts;
  /** The deployments made for this group: the first when it started, one more per retry. */
  deploymentIds: string[];
  startedAt?: string;
  /** Only in `GET /api/v1/rollouts/{id}`: the group's devices. */
  devices?: string[];
}

export interface RolloutSummary {
  id: string;
  name: string;
  releaseId: string;
  pid: string;
  fwKey: string;
  channel: string;
  type: DeploymentType;
  successThreshold: number;
  errorThreshold: number;
  advance: RolloutAdvance;
  state: RolloutStateName;
  /** Why it is paused, waiting, finished or cancelled, in words for people. */
  reason?: string;
  createdAt: string;
  updatedAt: string;
  counts: RolloutCounts;
  groups: RolloutGroupStatus[];
}

export interface ServerEvent {
  id: number;
  at: string;
  type: ServerEventType;
  data: unknown;
}

export interface ServerInfo {
  version: string;
  startedAt: string;
  offlineTimeoutMs: number;
  /** Silence allowed once the image is downloaded (install, reboot, self-test); absent from older servers. */
  installTimeoutMs?: number;
  minBandwidthBps: number;
  tls: boolean;
}

/** `GET /api/v1/status`: everything `ota status` shows. */
export interface StatusReport {
  server: ServerInfo;
  products: Product[];
  releases: Release[];
  deployments: Deployment[];
  /** One page of the devices (`?limit=&offset=`, default the first 1,000); `totals` has the counts. */
  devices: Device[];
  /** One page of the sessions, with the same `limit` and `offset`. */
  sessions: UpdateSession[];
  /** How many there are in all, and the page this answer holds (absent from older servers). */
  totals?: { devices: number; sessions: number; limit: number; offset: number };
  /** Staged rollouts, without their device lists (absent from older servers). */
  rollouts?: RolloutSummary[];
}

/** Errors come back as `{ "error": "...", "hint": "..." }` with a 4xx/5xx status. */
export interface ApiError {
  error: string;
  hint?: string;
}

export const managementPaths = {
  status: '/api/v1/status',
  releases: '/api/v1/releases',
  release: (id: string) => `/api/v1/releases/${encodeURIComponent(id)}`,
  uploads: '/api/v1/uploads',
  upload: (id: string) => `/api/v1/uploads/${encodeURIComponent(id)}`,
  uploadComplete: (id: string) => `/api/v1/uploads/${encodeURIComponent(id)}/complete`,
  products: '/api/v1/products',
  productKeys: (pid: string) => `/api/v1/products/${encodeURIComponent(pid)}/keys`,
  deployments: '/api/v1/deployments',
  deploymentCancel: (id: string) => `/api/v1/deployments/${encodeURIComponent(id)}/cancel`,
  devices: '/api/v1/devices',
  sessions: '/api/v1/sessions',
  events: '/api/v1/events',
  rollouts: '/api/v1/rollouts',
  rollout: (id: string) => `/api/v1/rollouts/${encodeURIComponent(id)}`,
  rolloutAction: (id: string, action: 'start' | 'pause' | 'resume' | 'approve' | 'cancel') => `/api/v1/rollouts/${encodeURIComponent(id)}/${action}`,
} as const;

/** Header carrying the byte offset of an upload chunk (request) or of the stored bytes (response). */
export const uploadOffsetHeader = 'upload-offset';
