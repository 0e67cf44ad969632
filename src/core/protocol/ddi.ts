/**
 * The subset of Eclipse hawkBit's Direct Device Integration (DDI) API that our server speaks and
 * the device simulator uses. Field names follow hawkBit so real clients (SWUpdate suricatta,
 * Zephyr's hawkBit subsystem, rauc-hawkbit-updater) work unchanged.
 */

export interface DdiLink {
  href: string;
}

/** `GET /{tenant}/controller/v1/{controllerId}`: links appear only when there is something to do. */
export interface DdiBase {
  config: { polling: { sleep: string } };
  _links: {
    deploymentBase?: DdiLink;
    configData?: DdiLink;
    cancelAction?: DdiLink;
  };
}

/** `PUT .../configData`: the device's attributes. */
export interface DdiConfigData {
  mode?: 'merge' | 'replace' | 'remove';
  data: Record<string, string>;
  /** Older clients (SWUpdate) still send these; the server ignores them. */
  id?: string;
  time?: string;
  status?: unknown;
}

/** The attribute names the server's policy reads from configData. */
export const ddiAttribute = {
  fwKey: 'fw_key',
  channel: 'channel',
  pid: 'pid',
  version: 'version',
} as const;

export type DdiHandling = 'skip' | 'attempt' | 'forced';

/**
 * The chunk `part` a release gets unless pushed with another: hawkBit's own spelling for an
 * application module, and the only one Zephyr's hawkBit client accepts (`hawkbit_parse_deployment`).
 * SWUpdate and rauc-hawkbit-updater do not look at it.
 */
export const ddiDefaultPart = 'bApp';

/**
 * Chunk metadata keys under which a deployment names the release's signed manifest. The manifest
 * is not a second artifact: Zephyr parses at most one artifact per chunk and SWUpdate installs
 * every artifact it is given.
 */
export const ddiManifestMetadata = {
  url: 'signed-manifest',
  sha256: 'signed-manifest-sha256',
} as const;

export interface DdiArtifact {
  filename: string;
  hashes: { sha1: string; md5: string; sha256: string };
  size: number;
  _links: {
    download?: DdiLink;
    'download-http'?: DdiLink;
    md5sum?: DdiLink;
    'md5sum-http'?: DdiLink;
  };
}

export interface DdiChunk {
  part: string;
  version: string;
  name: string;
  artifacts: DdiArtifact[];
  metadata?: { key: string; value: string }[];
}

/** `GET .../deploymentBase/{actionId}`. */
export interface DdiDeploymentBase {
  id: string;
  deployment: {
    download: DdiHandling;
    update: DdiHandling;
    chunks: DdiChunk[];
  };
  actionHistory?: { status: string; messages: string[] };
}

/**
 * hawkBit's `DdiStatus.ExecutionStatus`: `download` (not `downloading`) while the artifact is being
 * fetched. The server also takes `downloading`, which older builds of our simulator sent.
 */
export type DdiExecution = 'proceeding' | 'download' | 'downloaded' | 'scheduled' | 'resumed' | 'closed' | 'rejected' | 'canceled';
export type DdiFinished = 'success' | 'failure' | 'none';

/** `POST .../deploymentBase/{actionId}/feedback` and `.../cancelAction/{id}/feedback`. */
export interface DdiFeedback {
  id?: string;
  time?: string;
  status: {
    execution: DdiExecution;
    result: { finished: DdiFinished; progress?: { cnt: number; of: number } };
    details?: string[];
  };
}

/** `GET .../cancelAction/{id}`. */
export interface DdiCancelAction {
  id: string;
  cancelAction: { stopId: string };
}

/** URL paths of the DDI API, relative to the server's origin. */
export const ddiPaths = {
  base: (tenant: string, controllerId: string) => `/${enc(tenant)}/controller/v1/${enc(controllerId)}`,
  configData: (tenant: string, controllerId: string) => `${ddiPaths.base(tenant, controllerId)}/configData`,
  deploymentBase: (tenant: string, controllerId: string, actionId: string) => `${ddiPaths.base(tenant, controllerId)}/deploymentBase/${enc(actionId)}`,
  feedback: (tenant: string, controllerId: string, actionId: string) => `${ddiPaths.deploymentBase(tenant, controllerId, actionId)}/feedback`,
  cancelAction: (tenant: string, controllerId: string, actionId: string) => `${ddiPaths.base(tenant, controllerId)}/cancelAction/${enc(actionId)}`,
  cancelFeedback: (tenant: string, controllerId: string, actionId: string) => `${ddiPaths.cancelAction(tenant, controllerId, actionId)}/feedback`,
  artifact: (tenant: string, controllerId: string, moduleId: string, filename: string) =>
    `${ddiPaths.base(tenant, controllerId)}/softwaremodules/${enc(moduleId)}/artifacts/${enc(filename)}`,
  md5sum: (tenant: string, controllerId: string, moduleId: string, filename: string) => `${ddiPaths.artifact(tenant, controllerId, moduleId, filename)}.MD5SUM`,
};

/** The tenant our local server answers for when a client needs one (any tenant is accepted). */
export const defaultTenant = 'DEFAULT';

function enc(segment: string): string {
  return encodeURIComponent(segment);
}

/** hawkBit writes the polling interval as HH:MM:SS. */
export function formatPollingSleep(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

export function parsePollingSleep(text: string): number | undefined {
  const m = /^(\d+):(\d{2}):(\d{2})$/.exec(text);
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : undefined;
}
