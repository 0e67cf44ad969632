/** The double's in-memory tenant: what a hawkBit database would hold for the flows we use. */

export type Generation = 'legacy' | 'current';

export interface Audit {
  createdBy: string;
  createdAt: number;
  lastModifiedBy: string;
  lastModifiedAt: number;
}

export interface TypeRow {
  id: number;
  key: string;
  name: string;
  maxAssignments?: number;
}

export interface ArtifactRow {
  id: number;
  providedFilename: string;
  size: number;
  hashes: { sha1: string; md5: string; sha256: string };
  audit: Audit;
}

export interface ModuleRow {
  id: number;
  name: string;
  version: string;
  type: string;
  vendor?: string;
  description?: string;
  locked: boolean;
  artifacts: ArtifactRow[];
  audit: Audit;
}

export interface SetRow {
  id: number;
  name: string;
  version: string;
  type: string;
  description?: string;
  modules: number[];
  locked: boolean;
  metadata: Map<string, string>;
  audit: Audit;
}

export interface ActionStatusRow {
  id: number;
  type: string;
  messages: string[];
  reportedAt: number;
}

export interface ActionRow {
  id: number;
  target: string;
  ds: number;
  forceType: string;
  forceTime?: number;
  maintenanceWindow?: { schedule: string; duration: string; timezone: string };
  /** The detail status (§2.7). */
  detail: string;
  rollout?: number;
  history: ActionStatusRow[];
  audit: Audit;
}

export interface TargetRow {
  controllerId: string;
  name: string;
  attributes: Record<string, string>;
  assignedDs?: number;
  installedDs?: number;
  lastRequestAt?: number;
  audit: Audit;
}

export interface GroupRow {
  id: number;
  name: string;
  targets: string[];
  status: 'creating' | 'ready' | 'scheduled' | 'running' | 'finished' | 'error';
}

export interface RolloutRow {
  id: number;
  name: string;
  ds: number;
  query: string;
  type: string;
  forcetime?: number;
  status: string;
  successThreshold: number;
  errorThreshold: number;
  groups: GroupRow[];
  /** Reads of the rollout while `creating`; groups are "built" on the first read after creation. */
  reads: number;
  description?: string;
  audit: Audit;
}

export class DoubleState {
  private nextId = 100;
  readonly smTypes: TypeRow[] = [
    { id: 1, key: 'os', name: 'OS', maxAssignments: 1 },
    { id: 2, key: 'application', name: 'Application', maxAssignments: 2147483647 },
  ];
  /** §2.1: tenant defaults; `os_app` is the default DS type. */
  readonly dsTypes: TypeRow[] = [
    { id: 1, key: 'os', name: 'OS only' },
    { id: 2, key: 'app', name: 'App(s) only' },
    { id: 3, key: 'os_app', name: 'OS with app(s)' },
  ];
  readonly modules = new Map<number, ModuleRow>();
  readonly sets = new Map<number, SetRow>();
  readonly targets = new Map<string, TargetRow>();
  readonly actions = new Map<number, ActionRow>();
  readonly rollouts = new Map<number, RolloutRow>();

  id(): number {
    return this.nextId++;
  }

  audit(user: string): Audit {
    const now = Date.now();
    return { createdBy: user, createdAt: now, lastModifiedBy: user, lastModifiedAt: now };
  }

  target(cid: string): TargetRow | undefined {
    // §2.5 (F5): controllerIds match case-insensitively.
    for (const t of this.targets.values()) if (t.controllerId.toLowerCase() === cid.toLowerCase()) return t;
    return undefined;
  }
}
