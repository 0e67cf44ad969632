/**
 * The hawkBit Management API's JSON, as much of it as the provider reads (see
 * /work/shared/reference/hawkbit-mgmt-api.md; times are epoch ms, ids numbers except a target's
 * controllerId). Fields that only one API generation has are optional.
 */

export interface HbLink {
  href: string;
  name?: string;
}

export interface HbPaged<T> {
  content: T[];
  total: number;
  size: number;
}

/** Error body (§1 Errors); 401 has none. */
export interface HbExceptionInfo {
  exceptionClass?: string;
  errorCode?: string;
  message?: string;
  info?: Record<string, unknown>;
}

export interface HbType {
  id: number;
  key: string;
  name: string;
  /** Only ≥0.10.0 on software module types: the run-time tell of the API generation (§5). */
  minArtifacts?: number;
}

export interface HbSoftwareModule {
  id: number;
  name: string;
  version: string;
  type: string;
  locked?: boolean;
}

export interface HbArtifact {
  id: number;
  hashes: { sha1: string; md5: string; sha256: string };
  providedFilename: string;
  size: number;
}

export interface HbDistributionSet {
  id: number;
  name: string;
  version: string;
  type?: string;
  modules?: HbSoftwareModule[];
  complete?: boolean;
}

export interface HbAssignResult {
  alreadyAssigned: number;
  assignedActions: { id: number; _links?: { self?: HbLink } }[];
  assigned: number;
  total: number;
}

export interface HbTarget {
  controllerId: string;
  name: string;
  updateStatus?: string;
  lastControllerRequestAt?: number;
  installedAt?: number;
  createdAt?: number;
  pollStatus?: { lastRequestAt?: number; overdue?: boolean };
}

export interface HbAction {
  id: number;
  type: 'update' | 'cancel';
  /** ≥0.10.0: the detail (`running`, `finished`, …); ≤0.9.0: `pending` | `finished`. */
  status: string;
  /** ≤0.9.0 only: the detail. */
  detailStatus?: string;
  /** ≥0.10.0 only. */
  active?: boolean;
  forceType?: string;
  rollout?: number;
  createdAt?: number;
  lastModifiedAt?: number;
  _links?: { distributionset?: HbLink; target?: HbLink };
}

export interface HbActionStatus {
  id: number;
  type: string;
  messages?: string[];
  reportedAt?: number;
}

export interface HbCounts {
  [status: string]: number;
}

export interface HbRollout {
  id: number;
  name: string;
  status: string;
  totalTargets?: number;
  totalTargetsPerStatus?: HbCounts;
  distributionSetId?: number;
}

export interface HbRolloutGroup {
  id: number;
  name: string;
  status: string;
  totalTargets?: number;
  totalTargetsPerStatus?: HbCounts;
}

export interface HbUserInfo {
  tenant: string;
  username: string;
  /** ≥0.9.0. */
  permissions?: string[];
}
