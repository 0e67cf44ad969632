/**
 * Request validation of the hawkBit double, written from /work/shared/reference/hawkbit-mgmt-api.md
 * (section numbers below are that file's). The double is strict where the reference says a client
 * must be: it rejects unknown fields (§1 "send only documented fields"), nulls for optional fields
 * (§1 "omit unset optional fields"), single objects where arrays are required (§1 "always send
 * arrays"), and enum spellings other than the documented literals (§3).
 */

export class DoubleError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string | undefined,
    message: string,
    readonly exceptionClass = 'org.eclipse.hawkbit.double.DoubleException',
  ) {
    super(message);
  }
}

/** §1 Errors: malformed JSON, bad enum literal, unreadable body. */
export const notReadable = (why: string) => new DoubleError(400, 'hawkbit.server.error.rest.body.notReadable', `The given request body is not well formed (${why})`, 'org.springframework.http.converter.HttpMessageNotReadableException');
/** §1 Errors: missing / too long name or version, weight out of range, bad percentage. */
export const constraint = (why: string) => new DoubleError(400, 'hawkbit.server.error.repo.constraintViolation', why, 'jakarta.validation.ConstraintViolationException');
export const notFound = (type: string, id: string | number) => new DoubleError(404, 'hawkbit.server.error.repo.entityNotFound', `${type} with given identifier {${id}} does not exist.`, 'org.eclipse.hawkbit.repository.exception.EntityNotFoundException');
export const alreadyExists = (message = 'The given entity already exists in database') => new DoubleError(409, 'hawkbit.server.error.repo.entityAlreadyExists', message, 'org.eclipse.hawkbit.repository.exception.EntityAlreadyExistsException');

type FieldType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | { enum: readonly string[] };

export interface FieldSpec {
  type: FieldType;
  required?: boolean;
  /** String length bounds (§2.2: name 1..128, version 1..64, …). */
  min?: number;
  max?: number;
}

export type ObjectSpec = Record<string, FieldSpec>;

/** §1: "Only 1.1.0+ accepts a single object for array bodies: always send arrays." */
export function requireArray(body: unknown, what: string): unknown[] {
  if (!Array.isArray(body)) throw notReadable(`${what} takes a JSON array, got ${body === null ? 'null' : typeof body}`);
  if (body.length === 0) throw constraint(`${what}: empty array`);
  return body;
}

export function requireObject(body: unknown, what: string): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw notReadable(`${what} takes a JSON object`);
  return body as Record<string, unknown>;
}

/** Checks one JSON object against its documented fields; throws the status/errorCode hawkBit would. */
export function validateObject(value: unknown, spec: ObjectSpec, what: string): Record<string, unknown> {
  const obj = requireObject(value, what);
  for (const key of Object.keys(obj)) {
    if (!(key in spec)) throw notReadable(`${what}: unknown field "${key}" (send only documented fields, §1)`);
  }
  for (const [key, field] of Object.entries(spec)) {
    const v = obj[key];
    if (v === undefined) {
      if (field.required) throw constraint(`${what}: ${key} is required`);
      continue;
    }
    if (v === null) throw notReadable(`${what}: ${key} is null (omit unset optional fields, §1)`);
    const t = field.type;
    if (typeof t === 'object') {
      if (typeof v !== 'string' || !t.enum.includes(v)) throw notReadable(`${what}: ${key} must be one of ${t.enum.join(', ')} (case-sensitive, §3), got ${JSON.stringify(v)}`);
      continue;
    }
    const ok =
      t === 'array' ? Array.isArray(v) : t === 'object' ? typeof v === 'object' && !Array.isArray(v) : t === 'integer' ? Number.isInteger(v) : typeof v === t;
    if (!ok) throw notReadable(`${what}: ${key} must be ${t}, got ${JSON.stringify(v)}`);
    if (typeof v === 'string') {
      if (field.min !== undefined && v.length < field.min) throw constraint(`${what}: ${key} must have at least ${field.min} characters`);
      if (field.max !== undefined && v.length > field.max) throw constraint(`${what}: ${key} must have at most ${field.max} characters`);
    }
  }
  return obj;
}

/** §3 literals. */
export const actionTypes = ['forced', 'soft', 'timeforced', 'downloadonly'] as const;
export const detailStatuses = ['finished', 'error', 'warning', 'running', 'canceled', 'canceling', 'retrieved', 'download', 'scheduled', 'cancel_rejected', 'downloaded', 'wait_for_confirmation'] as const;

/** §2.2 software module POST item. */
export const softwareModuleSpec: ObjectSpec = {
  name: { type: 'string', required: true, min: 1, max: 128 },
  version: { type: 'string', required: true, min: 1, max: 64 },
  type: { type: 'string', required: true },
  description: { type: 'string', max: 512 },
  vendor: { type: 'string', max: 256 },
  encrypted: { type: 'boolean' },
};

/** §2.4 distribution set POST item; ≤0.9.0 also the os/runtime/application shortcuts. */
export function distributionSetSpec(legacy: boolean): ObjectSpec {
  const spec: ObjectSpec = {
    name: { type: 'string', required: true, min: 1, max: 128 },
    version: { type: 'string', required: true, min: 1, max: 64 },
    type: { type: 'string' },
    description: { type: 'string', max: 512 },
    modules: { type: 'array' },
    requiredMigrationStep: { type: 'boolean' },
    locked: { type: 'boolean' },
  };
  if (legacy) for (const k of ['os', 'runtime', 'application']) spec[k] = { type: 'object' };
  return spec;
}

/** §2.5 assignment item. */
export const assignmentSpec: ObjectSpec = {
  id: { type: 'string', required: true },
  type: { type: { enum: actionTypes } },
  forcetime: { type: 'integer' },
  weight: { type: 'integer' },
  maintenanceWindow: { type: 'object' },
  confirmationRequired: { type: 'boolean' },
};

export const maintenanceWindowSpec: ObjectSpec = {
  schedule: { type: 'string', required: true },
  duration: { type: 'string', required: true },
  timezone: { type: 'string', required: true },
};

/** §2.10 DS metadata item. */
export const dsMetadataSpec: ObjectSpec = { key: { type: 'string', required: true, min: 1, max: 128 }, value: { type: 'string', max: 4000 } };

/** §2.6 target POST item. */
export const targetSpec: ObjectSpec = {
  controllerId: { type: 'string', required: true, min: 1, max: 256 },
  name: { type: 'string', max: 128 },
  description: { type: 'string' },
  securityToken: { type: 'string', max: 128 },
  address: { type: 'string' },
  requestAttributes: { type: 'boolean' },
  targetType: { type: 'integer' },
};

const conditionSpec: ObjectSpec = { condition: { type: { enum: ['THRESHOLD'] }, required: true }, expression: { type: 'string', required: true } };

/** §2.9 rollout POST (single object); `successAction` PAUSE only ≥0.10.0. */
export function rolloutSpec(legacy: boolean): { top: ObjectSpec; condition: ObjectSpec; successAction: ObjectSpec; errorAction: ObjectSpec } {
  return {
    top: {
      name: { type: 'string', required: true, min: 1, max: 128 },
      distributionSetId: { type: 'integer', required: true },
      targetFilterQuery: { type: 'string', required: true },
      description: { type: 'string' },
      amountGroups: { type: 'integer' },
      type: { type: { enum: actionTypes } },
      forcetime: { type: 'integer' },
      startAt: { type: 'integer' },
      weight: { type: 'integer' },
      confirmationRequired: { type: 'boolean' },
      successCondition: { type: 'object' },
      successAction: { type: 'object' },
      errorCondition: { type: 'object' },
      errorAction: { type: 'object' },
      groups: { type: 'array' },
      dynamic: { type: 'boolean' },
      dynamicGroupTemplate: { type: 'object' },
    },
    condition: conditionSpec,
    successAction: { action: { type: { enum: legacy ? ['NEXTGROUP'] : ['NEXTGROUP', 'PAUSE'] }, required: true }, expression: { type: 'string' } },
    errorAction: { action: { type: { enum: ['PAUSE'] }, required: true }, expression: { type: 'string' } },
  };
}
