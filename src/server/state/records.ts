import type { Deployment, Device, DeviceProtocol, ReleaseManifest, Release, RolloutGroupState, RolloutStateName, RolloutSummary, UpdateSession, WhyNotOffered } from '../../core/protocol/management';

/** An upload that was accepted but is not a release yet. */
export interface PendingUpload {
  id: string;
  manifest: ReleaseManifest;
  createdAt: string;
}

/** A staged rollout as the server keeps it; counts are worked out from the sessions when asked. */
export interface StoredRollout extends Omit<RolloutSummary, 'counts' | 'groups'> {
  groups: StoredRolloutGroup[];
}

export interface StoredRolloutGroup {
  name: string;
  devices: string[];
  state: RolloutGroupState;
  startedAt?: string;
}

/** What changes as a rollout moves on: its state and its groups' states (never the device lists). */
export interface RolloutStep {
  id: string;
  at: string;
  state: RolloutStateName;
  reason?: string;
  groups: { state: RolloutGroupState; startedAt?: string }[];
}

/** What the journal holds. Each record replaces or extends what an earlier one said. */
export type JournalRecord =
  | { t: 'upload'; upload: PendingUpload }
  | { t: 'upload.end'; id: string }
  /** `signedManifest`: the manifest file's bytes in base64, exactly as uploaded. */
  | { t: 'release'; release: Release; uploadId?: string; signedManifest?: string }
  | { t: 'release.delete'; id: string }
  | { t: 'product.keys'; pid: string; keys: string[] }
  | { t: 'deployment'; deployment: Deployment }
  | { t: 'deployment.cancel'; id: string; at: string }
  /** A device's first contact (or, in a snapshot, the whole device). */
  | { t: 'device'; device: Omit<Device, 'whyNot'> }
  /**
   * What changed on a known device: the attributes set and removed, and its protocol when that
   * changed. Only the change is written, so a device re-reporting big attributes cannot make
   * the journal grow by a copy of all of them each time.
   */
  /** `reported`: the device PUT its configData for the first time (the poll stops offering the link). */
  | { t: 'device.change'; id: string; at: string; protocol?: DeviceProtocol; set?: Record<string, string>; unset?: string[]; reported?: true }
  | { t: 'whynot'; deviceId: string; entry: WhyNotOffered }
  /** A session's first record (or, in a snapshot and in journals of older servers, the whole session). */
  | { t: 'session'; session: UpdateSession }
  /**
   * What changed in a known session since its last record: the fields set, and optional fields
   * gone. Progress and feedback then cost a few numbers, not a copy of the session's details.
   */
  | { t: 'session.change'; id: string; set?: Partial<Omit<UpdateSession, 'id'>>; unset?: (keyof UpdateSession)[] }
  /** Last contact of devices (device id → ISO time), batched: see LastSeen. */
  | { t: 'seen'; at: Record<string, string> }
  /** In a snapshot: the highest id handed out, so ids of deleted objects are never reused. */
  | { t: 'ids'; last: number }
  /** A rollout as created (or, in a snapshot, as it is now). */
  | { t: 'rollout'; rollout: StoredRollout }
  | { t: 'rollout.step'; step: RolloutStep }
  | { t: 'rollout.delete'; id: string };
