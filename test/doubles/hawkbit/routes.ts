import { createHash } from 'node:crypto';
import { fiqlFilter } from './fiql';
import { parseMultipart } from './multipart';
import type { Renderer } from './render';
import type { ActionRow, DoubleState, Generation, RolloutRow, TargetRow } from './state';
import type { ObjectSpec } from './validate';
import {
  alreadyExists,
  assignmentSpec,
  constraint,
  distributionSetSpec,
  DoubleError,
  dsMetadataSpec,
  maintenanceWindowSpec,
  notFound,
  notReadable,
  requireArray,
  rolloutSpec,
  softwareModuleSpec,
  targetSpec,
  validateObject,
} from './validate';

export interface RouteRequest {
  method: string;
  path: string[];
  query: URLSearchParams;
  contentType: string | undefined;
  body: Buffer;
  user: string;
}

export interface RouteReply {
  status: number;
  body?: unknown;
}

/** Handler context: the tenant, the renderer and the generation's void-op answer (§1 Status convention). */
export interface RouteContext {
  state: DoubleState;
  render: Renderer;
  generation: Generation;
  /** Quota of artifacts per module (§1 Errors: 50); lowered by tests. */
  artifactQuota: number;
}

const json = (req: RouteRequest): unknown => {
  try {
    return JSON.parse(req.body.toString('utf8')) as unknown;
  } catch {
    throw notReadable('malformed JSON');
  }
};

/** §1 PagedList with offset/limit (limit clamped to 500). */
function paged<T>(req: RouteRequest, items: T[], render: (t: T) => unknown): RouteReply {
  const offset = intParam(req, 'offset', 0);
  const limit = Math.min(intParam(req, 'limit', 50), 500);
  const page = items.slice(offset, offset + limit);
  return { status: 200, body: { content: page.map(render), total: items.length, size: page.length } };
}

function intParam(req: RouteRequest, name: string, fallback: number): number {
  const v = req.query.get(name);
  if (v === null) return fallback;
  if (!/^\d+$/.test(v)) throw new DoubleError(400, 'hawkbit.server.error.rest.param.invalid', `${name} must be a non-negative integer`);
  return Number(v);
}

function query<T>(req: RouteRequest, items: T[], fields: Record<string, (t: T) => string | undefined>, dynamic?: (t: T, field: string) => string | undefined): T[] {
  const q = req.query.get('q');
  if (!q) return items;
  const match = fiqlFilter(q, (f) => f in fields || (dynamic !== undefined && f.startsWith('attribute.')));
  return items.filter((t) => match((f) => (f in fields ? fields[f]!(t) : dynamic?.(t, f))));
}

/** §1: void operations answer 200 empty up to 0.9.0 and 204 since 0.10.0. */
const voidReply = (ctx: RouteContext): RouteReply => ({ status: ctx.generation === 'current' ? 204 : 200 });

function num(s: string | undefined, type: string): number {
  if (!s || !/^\d+$/.test(s)) throw notFound(type, s ?? '');
  return Number(s);
}

export function route(ctx: RouteContext, req: RouteRequest): RouteReply {
  const { state, render } = ctx;
  const [a, b, c, d, e] = req.path;
  const m = req.method;
  if (a === 'userinfo' && m === 'GET' && !b) return { status: 200, body: { tenant: 'DEFAULT', username: req.user, ...(ctx.generation === 'current' ? { permissions: [] } : {}) } };
  if (a === 'softwaremoduletypes' && m === 'GET' && !b) return paged(req, query(req, state.smTypes, { key: (t) => t.key, name: (t) => t.name, id: (t) => String(t.id) }), (t) => render.smType(t));
  if (a === 'distributionsettypes' && m === 'GET' && !b) return paged(req, query(req, state.dsTypes, { key: (t) => t.key, name: (t) => t.name, id: (t) => String(t.id) }), (t) => render.dsType(t));

  if (a === 'softwaremodules') {
    if (!b && m === 'POST') return createModules(ctx, req);
    if (!b && m === 'GET') return paged(req, query(req, [...state.modules.values()], { name: (x) => x.name, version: (x) => x.version, type: (x) => x.type, id: (x) => String(x.id) }), (x) => render.module(x));
    const module = state.modules.get(num(b, 'SoftwareModule'));
    if (!module) throw notFound('SoftwareModule', b!);
    if (c === 'artifacts' && !d && m === 'POST') return uploadArtifact(ctx, req, module.id);
    if (c === 'artifacts' && !d && m === 'GET') return { status: 200, body: module.artifacts.map((x) => render.artifact(module.id, x, req.query.get('representation') === 'full')) };
    if (!c && m === 'GET') return { status: 200, body: render.module(module) };
  }

  if (a === 'distributionsets') {
    if (!b && m === 'POST') return createSets(ctx, req);
    if (!b && m === 'GET') return paged(req, query(req, [...state.sets.values()], { name: (x) => x.name, version: (x) => x.version, type: (x) => x.type, id: (x) => String(x.id) }), (x) => render.set(x));
    const set = state.sets.get(num(b, 'DistributionSet'));
    if (!set) throw notFound('DistributionSet', b!);
    if (!c && m === 'GET') return { status: 200, body: render.set(set) };
    if (c === 'assignedSM' && m === 'GET') return paged(req, set.modules.map((id) => state.modules.get(id)!), (x) => render.module(x));
    if (c === 'metadata' && m === 'POST') {
      // §2.10: duplicate key → 409; ≥0.9.0 answers 201 without a body.
      const items = requireArray(json(req), 'DS metadata').map((x) => validateObject(x, dsMetadataSpec, 'metadata entry'));
      for (const x of items) if (set.metadata.has(x.key as string)) throw alreadyExists();
      for (const x of items) set.metadata.set(x.key as string, (x.value as string | undefined) ?? '');
      return { status: 201 };
    }
    if (c === 'metadata' && m === 'GET') return { status: 200, body: { content: [...set.metadata].map(([key, value]) => ({ key, value })), total: set.metadata.size, size: set.metadata.size } };
    if (c === 'assignedTargets' && m === 'POST') return assign(ctx, req, set.id);
  }

  if (a === 'targets') {
    const fields = { id: (t: TargetRow) => t.controllerId, controllerid: (t: TargetRow) => t.controllerId, name: (t: TargetRow) => t.name };
    if (!b && m === 'GET') return paged(req, query(req, [...state.targets.values()].sort((x, y) => x.controllerId.localeCompare(y.controllerId)), fields, (t, f) => t.attributes[f.slice('attribute.'.length)]), (t) => render.target(t));
    if (!b && m === 'POST') {
      const items = requireArray(json(req), 'targets').map((x) => validateObject(x, targetSpec, 'target'));
      const created = items.map((x) => {
        if (state.target(x.controllerId as string)) throw alreadyExists();
        const row: TargetRow = { controllerId: x.controllerId as string, name: (x.name as string | undefined) ?? (x.controllerId as string), attributes: {}, audit: state.audit(req.user) };
        state.targets.set(row.controllerId, row);
        return row;
      });
      return { status: 201, body: created.map((t) => render.target(t)) };
    }
    const target = state.target(decodeURIComponent(b!));
    if (!target) throw notFound('Target', decodeURIComponent(b!));
    if (!c && m === 'GET') return { status: 200, body: render.target(target) };
    // §2.6: attributes are 204 when the device reported none.
    if (c === 'attributes' && m === 'GET') return Object.keys(target.attributes).length ? { status: 200, body: { ...target.attributes } } : { status: 204 };
    const mine = [...state.actions.values()].filter((x) => x.target === target.controllerId).sort((x, y) => y.id - x.id);
    if (c === 'actions' && !d && m === 'GET') return paged(req, mine, (x) => render.action(x, false));
    if (c === 'actions' && d) {
      const action = state.actions.get(num(d, 'Action'));
      if (!action) throw notFound('Action', d);
      // §2.7: an action of another target is a 404 with an empty body.
      if (action.target !== target.controllerId) return { status: 404 };
      if (!e && m === 'GET') return { status: 200, body: render.action(action, true) };
      if (e === 'status' && m === 'GET') return paged(req, [...action.history].sort((x, y) => y.id - x.id), (s) => render.actionStatus(s));
    }
  }

  if (a === 'rollouts') {
    if (!b && m === 'POST') return createRollout(ctx, req);
    if (!b && m === 'GET') return paged(req, [...state.rollouts.values()], (r) => render.rollout(r, req.query.get('representation') === 'full'));
    const rollout = state.rollouts.get(num(b, 'Rollout'));
    if (!rollout) throw notFound('Rollout', b!);
    if (!c && m === 'GET') {
      // Groups are built asynchronously (§2.9): a fresh rollout reads `creating` once, then `ready`.
      if (rollout.status === 'creating' && rollout.reads++ >= 1) {
        rollout.status = 'ready';
        for (const g of rollout.groups) g.status = 'ready';
      }
      return { status: 200, body: render.rollout(rollout, true) };
    }
    if (c === 'deploygroups' && !d && m === 'GET') return paged(req, rollout.groups, (g) => render.group(rollout, g));
    if (m === 'POST' && c && !d) return rolloutOp(ctx, rollout, c);
  }
  throw new DoubleError(404, undefined, `the double has no ${m} /rest/v1/${req.path.join('/')}`);
}

function createModules(ctx: RouteContext, req: RouteRequest): RouteReply {
  const items = requireArray(json(req), 'software modules').map((x) => validateObject(x, softwareModuleSpec, 'software module'));
  const created = items.map((x) => {
    // §2.2: unknown type key → 404; type+name+version duplicate → 409.
    if (!ctx.state.smTypes.some((t) => t.key === x.type)) throw notFound('SoftwareModuleType', x.type as string);
    for (const mod of ctx.state.modules.values()) if (mod.type === x.type && mod.name === x.name && mod.version === x.version) throw alreadyExists();
    const row = { id: ctx.state.id(), name: x.name as string, version: x.version as string, type: x.type as string, ...(x.vendor ? { vendor: x.vendor as string } : {}), ...(x.description ? { description: x.description as string } : {}), locked: false, artifacts: [], audit: ctx.state.audit(req.user) };
    ctx.state.modules.set(row.id, row);
    return row;
  });
  return { status: 201, body: created.map((x) => ctx.render.module(x)) };
}

function uploadArtifact(ctx: RouteContext, req: RouteRequest, moduleId: number): RouteReply {
  const module = ctx.state.modules.get(moduleId)!;
  const part = parseMultipart(req.contentType, req.body);
  if (part.data.length === 0) return { status: 400 };
  if (module.locked) throw new DoubleError(423, 'hawkbit.server.error.locked', `Software module ${module.id} is locked`, 'org.eclipse.hawkbit.repository.exception.LockedException');
  const filename = req.query.get('filename') ?? part.fields.filename ?? part.filename ?? 'file';
  if (module.artifacts.some((x) => x.providedFilename === filename)) throw alreadyExists('File with that name already exists in the Software Module');
  if (module.artifacts.length >= ctx.artifactQuota) {
    throw new DoubleError(ctx.generation === 'current' ? 429 : 403, 'hawkbit.server.error.quota.artifactsPerSoftwareModule', `Quota exceeded: at most ${ctx.artifactQuota} artifacts per software module`, 'org.eclipse.hawkbit.repository.exception.AssignmentQuotaExceededException');
  }
  const hashes = { sha1: hash('sha1', part.data), md5: hash('md5', part.data), sha256: hash('sha256', part.data) };
  for (const [param, algo] of [['md5sum', 'md5'], ['sha1sum', 'sha1'], ['sha256sum', 'sha256']] as const) {
    const given = req.query.get(param) ?? part.fields[param];
    if (given !== undefined && given.toLowerCase() !== hashes[algo]) throw new DoubleError(400, `hawkbit.server.error.artifact.uploadFailed.checksum.${algo}.match`, `Upload failed: ${algo} does not match`);
  }
  const row = { id: ctx.state.id(), providedFilename: filename, size: part.data.length, hashes, audit: ctx.state.audit(req.user) };
  module.artifacts.push(row);
  return { status: 201, body: ctx.render.artifact(module.id, row, true) };
}

function createSets(ctx: RouteContext, req: RouteRequest): RouteReply {
  const spec: ObjectSpec = distributionSetSpec(ctx.generation === 'legacy');
  const items = requireArray(json(req), 'distribution sets').map((x) => validateObject(x, spec, 'distribution set'));
  const created = items.map((x) => {
    const type = (x.type as string | undefined) ?? 'os_app';
    if (!ctx.state.dsTypes.some((t) => t.key === type)) throw notFound('DistributionSetType', type);
    const refs = ((x.modules as unknown[] | undefined) ?? []).map((r) => validateObject(r, { id: { type: 'integer', required: true } }, 'modules[]').id as number);
    for (const id of refs) if (!ctx.state.modules.has(id)) throw notFound('SoftwareModule', id);
    for (const s of ctx.state.sets.values()) if (s.name === x.name && s.version === x.version && s.type === type) throw alreadyExists();
    const row = { id: ctx.state.id(), name: x.name as string, version: x.version as string, type, ...(x.description ? { description: x.description as string } : {}), modules: refs, locked: false, metadata: new Map<string, string>(), audit: ctx.state.audit(req.user) };
    ctx.state.sets.set(row.id, row);
    return row;
  });
  return { status: 201, body: created.map((s) => ctx.render.set(s)) };
}

function assign(ctx: RouteContext, req: RouteRequest, dsId: number): RouteReply {
  const items = requireArray(json(req), 'assignment').map((x) => validateObject(x, assignmentSpec, 'assignment'));
  const seen = new Map<string, string>();
  for (const x of items) {
    if (x.weight !== undefined && ((x.weight as number) < 0 || (x.weight as number) > 1000)) throw constraint('weight must be within 0..1000');
    if (x.maintenanceWindow !== undefined) validateObject(x.maintenanceWindow, maintenanceWindowSpec, 'maintenanceWindow');
    const id = (x.id as string).toLowerCase();
    const text = JSON.stringify({ ...x, id });
    // §1 Errors: the same target twice with different parameters → 400 multiAssignmentNotEnabled.
    if (seen.has(id) && seen.get(id) !== text) throw new DoubleError(400, 'hawkbit.server.error.multiAssignmentNotEnabled', 'The same target is given twice with different parameters');
    seen.set(id, text);
  }
  let alreadyAssigned = 0;
  const assignedActions: unknown[] = [];
  const set = ctx.state.sets.get(dsId)!;
  for (const text of seen.values()) {
    const x = JSON.parse(text) as { id: string; type?: string; forcetime?: number; maintenanceWindow?: ActionRow['maintenanceWindow'] };
    // §2.5: unknown targets are silently ignored.
    const target = ctx.state.target(x.id);
    if (!target) continue;
    if (target.assignedDs === dsId) {
      alreadyAssigned++;
      continue;
    }
    const action = newAction(ctx, req.user, target, dsId, x.type ?? 'forced', x.forcetime, x.maintenanceWindow);
    assignedActions.push({ id: action.id, _links: { self: (ctx.render.action(action, false) as { _links: { self: unknown } })._links.self } });
  }
  // §2.4: assigning locks the set and its modules (implicit lock, ≥0.5.0).
  set.locked = true;
  for (const id of set.modules) ctx.state.modules.get(id)!.locked = true;
  return { status: 200, body: { alreadyAssigned, assignedActions, assigned: assignedActions.length, total: assignedActions.length + alreadyAssigned } };
}

export function newAction(ctx: RouteContext, user: string, target: TargetRow, dsId: number, type: string, forceTime?: number, window?: ActionRow['maintenanceWindow'], rollout?: number): ActionRow {
  const action: ActionRow = {
    id: ctx.state.id(),
    target: target.controllerId,
    ds: dsId,
    forceType: type,
    ...(forceTime !== undefined && type === 'timeforced' ? { forceTime } : {}),
    ...(window ? { maintenanceWindow: window } : {}),
    ...(rollout !== undefined ? { rollout } : {}),
    detail: 'running',
    history: [{ id: ctx.state.id(), type: 'running', messages: ['Assignment initiated by user'], reportedAt: Date.now() }],
    audit: ctx.state.audit(user),
  };
  ctx.state.actions.set(action.id, action);
  target.assignedDs = dsId;
  return action;
}

function createRollout(ctx: RouteContext, req: RouteRequest): RouteReply {
  const spec = rolloutSpec(ctx.generation === 'legacy');
  const x = validateObject(json(req), spec.top, 'rollout');
  for (const k of ['successCondition', 'errorCondition'] as const) if (x[k] !== undefined) validateObject(x[k], spec.condition, k);
  if (x.successAction !== undefined) validateObject(x.successAction, spec.successAction, 'successAction');
  if (x.errorAction !== undefined) validateObject(x.errorAction, spec.errorAction, 'errorAction');
  if (x.groups !== undefined && x.amountGroups !== undefined) throw constraint('amountGroups must be absent when groups are given');
  if ([...ctx.state.rollouts.values()].some((r) => r.name === x.name)) throw alreadyExists();
  const ds = ctx.state.sets.get(x.distributionSetId as number);
  if (!ds) throw notFound('DistributionSet', x.distributionSetId as number);
  const match = fiqlFilter(x.targetFilterQuery as string, (f) => f === 'id' || f === 'controllerid' || f === 'name' || f.startsWith('attribute.'));
  const targets = [...ctx.state.targets.values()]
    .filter((t) => match((f) => (f.startsWith('attribute.') ? t.attributes[f.slice(10)] : f === 'name' ? t.name : t.controllerId)))
    .map((t) => t.controllerId)
    .sort();
  const amount = (x.amountGroups as number | undefined) ?? 1;
  if (amount < 1 || amount > 500) throw constraint('amountGroups must be within 1..500');
  const threshold = (o: unknown, fallback: number) => {
    const v = Number((o as { expression?: string } | undefined)?.expression ?? fallback);
    if (!(v >= 0 && v <= 100)) throw constraint('threshold must be a percentage');
    return v;
  };
  const per = Math.ceil(targets.length / amount);
  const row: RolloutRow = {
    id: ctx.state.id(),
    name: x.name as string,
    ds: ds.id,
    query: x.targetFilterQuery as string,
    type: (x.type as string | undefined) ?? 'forced',
    ...(x.forcetime !== undefined ? { forcetime: x.forcetime as number } : {}),
    status: 'creating',
    successThreshold: threshold(x.successCondition, 50),
    errorThreshold: threshold(x.errorCondition, 50),
    groups: Array.from({ length: amount }, (_, i) => ({ id: ctx.state.id(), name: `group-${i + 1}`, targets: targets.slice(i * per, (i + 1) * per), status: 'creating' as const })),
    reads: 0,
    ...(x.description ? { description: x.description as string } : {}),
    audit: ctx.state.audit(req.user),
  };
  ctx.state.rollouts.set(row.id, row);
  return { status: 201, body: ctx.render.rollout(row, true) };
}

function rolloutOp(ctx: RouteContext, r: RolloutRow, op: string): RouteReply {
  const illegal = () => new DoubleError(400, 'hawkbit.server.error.rollout.illegalState', `Rollout ${r.id} is ${r.status}: cannot ${op}`);
  if (op === 'start') {
    if (r.status !== 'ready') throw illegal();
    r.status = 'running';
    for (const g of r.groups) g.status = 'scheduled';
    startGroup(ctx, r, 0);
    return voidReply(ctx);
  }
  if (op === 'pause') {
    if (r.status !== 'running') throw illegal();
    r.status = 'paused';
    return voidReply(ctx);
  }
  if (op === 'resume') {
    if (r.status !== 'paused') throw illegal();
    r.status = 'running';
    advanceRollout(ctx, r);
    return voidReply(ctx);
  }
  if (op === 'triggerNextGroup') {
    // §2.9: starts the next scheduled group now, whatever the thresholds say; only while running.
    const next = r.groups.findIndex((g) => g.status === 'scheduled');
    if (r.status !== 'running' || next < 0) throw illegal();
    startGroup(ctx, r, next);
    return voidReply(ctx);
  }
  if (op === 'stop') {
    // §2.9 (≥ 0.10): ends the rollout for good.
    if (!['ready', 'running', 'paused'].includes(r.status)) throw illegal();
    r.status = 'stopped';
    return voidReply(ctx);
  }
  throw new DoubleError(404, undefined, `the double has no rollout operation ${op}`);
}

function startGroup(ctx: RouteContext, r: RolloutRow, index: number): void {
  const g = r.groups[index];
  if (!g) return;
  g.status = 'running';
  const ds = ctx.state.sets.get(r.ds)!;
  ds.locked = true;
  for (const cid of g.targets) newAction(ctx, 'system', ctx.state.target(cid)!, r.ds, r.type, r.forcetime, undefined, r.id);
}

/**
 * A group reaching the success threshold starts the next (NEXTGROUP); passing the error threshold
 * pauses the rollout (PAUSE). Called when a device reports and on resume.
 */
export function advanceRollout(ctx: RouteContext, r: RolloutRow): void {
  for (let index = 0; index < r.groups.length; index++) {
    const g = r.groups[index]!;
    if (r.status !== 'running' || g.status !== 'running') continue;
    const details = g.targets.map((cid) => [...ctx.state.actions.values()].find((a) => a.rollout === r.id && a.target === cid)?.detail);
    const pct = (what: string) => (100 * details.filter((x) => x === what).length) / Math.max(1, g.targets.length);
    if (pct('error') > r.errorThreshold) {
      g.status = 'error';
      r.status = 'paused';
      return;
    }
    if (pct('finished') >= r.successThreshold) {
      if (details.every((x) => x === 'finished' || x === 'error')) g.status = 'finished';
      const next = r.groups.findIndex((x, i) => i > index && x.status === 'scheduled');
      if (next >= 0) startGroup(ctx, r, next);
    }
  }
  if (r.groups.every((x) => x.status === 'finished')) r.status = 'finished';
}

function hash(algo: string, data: Buffer): string {
  return createHash(algo).update(data).digest('hex');
}
