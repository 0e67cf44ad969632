import { OtaError } from '../core/errors';
import type { Deployment, RolloutStateName, RolloutSummary, ServerEventType, UpdateSession } from '../core/protocol/management';
import type { Catalog } from './catalog';
import type { ServerContext } from './context';
import { KeyedLock } from './keyedLock';
import { decideOffer } from './policy';
import { deviceOutcome, groupDeployments, newestDeploymentOf, summarize } from './rolloutCounts';
import { checkRolloutRequest, splitIntoGroups } from './rolloutInput';
import type { Sessions } from './sessions';
import { isActive } from './sessions';
import type { RolloutStep, StoredRollout } from './state/records';

type GroupSteps = RolloutStep['groups'];

const live: ReadonlySet<RolloutStateName> = new Set(['running', 'waiting']);

/**
 * Staged rollouts. A group starts as a deployment to its devices (so devices of later groups are
 * not offered the release); what each device did comes from its update sessions. After every
 * session change of a rollout's deployment the rollout is looked at again: a group over its error
 * threshold pauses it, a group at its success threshold lets the next one start (or wait for an
 * approve). Every change is journaled before it is answered or announced, and the device lists
 * are written once, at creation.
 */
export class Rollouts {
  /** One change at a time per rollout: a session event and a pause must not interleave. */
  private readonly lock = new KeyedLock();
  private readonly queued = new Set<string>();
  private readonly unsubscribe: () => void;
  private closed = false;

  constructor(
    private readonly ctx: ServerContext,
    private readonly catalog: Catalog,
    private readonly sessions: Sessions,
  ) {
    this.unsubscribe = ctx.events.observe((e) => {
      if (e.type !== 'session.updated') return;
      const s = e.data as UpdateSession;
      // Progress ticks do not move counts; a new session (pending → running) and an end do.
      if (isActive(s) && s.state !== 'offered') return;
      const rolloutId = ctx.model.deployments.get(s.deploymentId)?.rolloutId;
      if (rolloutId !== undefined) this.schedule(rolloutId);
    });
    // Sessions may have ended while the server was down, or the server stopped between starting
    // a group's deployment and recording it: look at every live rollout once.
    for (const r of ctx.model.rollouts.values()) if (live.has(r.state)) this.schedule(r.id);
  }

  dispose(): void {
    this.closed = true;
    this.unsubscribe();
  }

  /** Waits for the evaluations and changes under way (tests, shutdown). */
  async settled(): Promise<void> {
    await Promise.all([...this.ctx.model.rollouts.keys()].map((id) => this.lock.run(id, () => Promise.resolve())));
  }

  list(): RolloutSummary[] {
    return [...this.ctx.model.rollouts.values()].map((r) => summarize(this.ctx.model, r, false));
  }

  get(id: string, withDevices = true): RolloutSummary {
    return summarize(this.ctx.model, this.stored(id), withDevices);
  }

  async create(body: unknown): Promise<RolloutSummary> {
    const { settings, model } = this.ctx;
    const req = checkRolloutRequest(body, { maxGroups: settings.maxRolloutGroups, maxDevices: settings.maxDevices });
    const release = this.catalog.release(req.releaseId);
    if (model.rollouts.size >= settings.maxRollouts) {
      throw new OtaError(`this server already keeps ${model.rollouts.size} rollouts, its limit (maxRollouts ${settings.maxRollouts})`, {
        code: 'conflict',
        hint: 'delete finished or cancelled rollouts (DELETE /api/v1/rollouts/{id}, or cancel one first)',
      });
    }
    const clash = [...model.rollouts.values()].find((r) => r.name === req.name);
    if (clash) throw new OtaError(`there is already a rollout named "${req.name}" (id ${clash.id})`, { code: 'conflict', hint: 'pick another name, or delete the old rollout' });
    const target = { pid: req.pid ?? release.pid, fwKey: req.fwKey ?? release.fwKey, channel: req.channel ?? release.channel };
    const devices = req.devices ?? this.matchingDevices(target);
    if (devices.length === 0) {
      throw new OtaError(`no device this server knows reports PID ${target.pid}, channel ${target.channel} and a firmware key bound to the PID (${[...new Set([target.fwKey, ...this.catalog.boundKeys(target.pid)])].join(', ')})`, {
        code: 'bad-request',
        hint: 'let the devices poll once so they report their key and channel, bind their key to the PID, or name them in "devices"',
      });
    }
    const split = splitIntoGroups(devices, req.groups);
    const now = new Date().toISOString();
    const rollout: StoredRollout = {
      id: model.nextId(),
      name: req.name,
      releaseId: release.id,
      ...target,
      type: req.type,
      successThreshold: req.successThreshold,
      errorThreshold: req.errorThreshold,
      advance: req.advance,
      state: 'ready',
      createdAt: now,
      updatedAt: now,
      groups: split.map((list, i) => ({ name: `group ${i + 1}`, devices: list, state: 'scheduled' })),
    };
    await this.ctx.record({ t: 'rollout', rollout });
    this.announce('rollout.created', rollout.id);
    return this.get(rollout.id);
  }

  start(id: string): Promise<RolloutSummary> {
    return this.lock.run(id, async () => {
      const r = this.stored(id);
      if (r.state !== 'ready') {
        throw new OtaError(`rollout ${id} is ${r.state}; a rollout starts once, when it is ready`, { code: 'conflict', hint: r.state === 'paused' ? 'resume it instead' : 'create a new rollout to start again' });
      }
      await this.startGroup(r, 0, 'running', undefined);
      this.announce('rollout.started', id);
      await this.evaluate(id);
      return this.get(id);
    });
  }

  pause(id: string): Promise<RolloutSummary> {
    return this.lock.run(id, async () => {
      const r = this.stored(id);
      if (r.state === 'paused') return this.get(id);
      if (!live.has(r.state)) throw new OtaError(`rollout ${id} is ${r.state}; only a running or waiting rollout can pause`, { code: 'conflict' });
      await this.step(r, 'paused', 'paused on request: no further group starts until it is resumed', this.groupSteps(r));
      this.announce('rollout.paused', id);
      return this.get(id);
    });
  }

  /**
   * Goes on after a pause. The devices that failed in the groups started so far are offered the
   * release again (a new deployment for them): a pause at the error threshold is the time to fix
   * the cause, and the fixed devices must not stay counted as failures.
   */
  resume(id: string): Promise<RolloutSummary> {
    return this.lock.run(id, async () => {
      const r = this.stored(id);
      if (r.state === 'running' || r.state === 'waiting') return this.get(id);
      if (r.state !== 'paused') throw new OtaError(`rollout ${id} is ${r.state}; only a paused rollout can resume`, { code: 'conflict', hint: r.state === 'ready' ? 'start it instead' : undefined });
      const summary = this.get(id);
      let retried = 0;
      const deployments = groupDeployments(this.ctx.model, r);
      for (const g of summary.groups) {
        if (g.state === 'scheduled' || g.counts.failed === 0) continue;
        const newest = newestDeploymentOf(deployments[g.index]!);
        const failed = r.groups[g.index]!.devices.filter((d) => deviceOutcome(this.ctx.model, d, newest.get(d)) === 'failed');
        await this.createGroupDeployment(r, g.index, failed);
        retried += failed.length;
      }
      const groups = this.groupSteps(r).map((g) => (g.state === 'error' ? { ...g, state: 'running' as const } : g));
      await this.step(r, 'running', retried > 0 ? `resumed; ${retried} device(s) that had failed are offered the release again` : 'resumed', groups);
      this.announce('rollout.resumed', id);
      await this.evaluate(id);
      return this.get(id);
    });
  }

  /** Starts the next group now: the approve a waiting rollout needs, or a push past a slow group. */
  approve(id: string): Promise<RolloutSummary> {
    return this.lock.run(id, async () => {
      const r = this.stored(id);
      if (!live.has(r.state)) {
        throw new OtaError(`rollout ${id} is ${r.state}; approve starts the next group of a running or waiting rollout`, { code: 'conflict', hint: r.state === 'paused' ? 'resume it first' : r.state === 'ready' ? 'start it first' : undefined });
      }
      const next = r.groups.findIndex((g) => g.state === 'scheduled');
      if (next < 0) throw new OtaError(`rollout ${id} has started all its groups`, { code: 'conflict' });
      await this.startGroup(r, next, 'running', undefined);
      await this.evaluate(id);
      return this.get(id);
    });
  }

  /** Stops the rollout for good: its deployments are cancelled, so open sessions end and nobody else is offered it. */
  cancel(id: string): Promise<RolloutSummary> {
    return this.lock.run(id, async () => {
      const r = this.stored(id);
      if (r.state === 'cancelled') return this.get(id);
      await this.step(r, 'cancelled', 'cancelled on request', this.groupSteps(r));
      for (const list of groupDeployments(this.ctx.model, r)) for (const d of list) if (d.state === 'active') await this.sessions.cancelDeployment(d.id);
      this.announce('rollout.cancelled', id);
      return this.get(id);
    });
  }

  delete(id: string): Promise<void> {
    return this.lock.run(id, async () => {
      const r = this.stored(id);
      if (r.state !== 'finished' && r.state !== 'cancelled') throw new OtaError(`rollout ${id} is ${r.state}; only finished or cancelled rollouts can be deleted`, { code: 'conflict', hint: 'cancel it first' });
      await this.ctx.record({ t: 'rollout.delete', id });
      this.ctx.events.emit('rollout.deleted', { id });
    });
  }

  private schedule(id: string): void {
    if (this.queued.has(id) || this.closed) return;
    this.queued.add(id);
    void this.lock
      .run(id, () => {
        this.queued.delete(id);
        return this.closed ? Promise.resolve() : this.evaluate(id);
      })
      .catch((err: unknown) => this.ctx.log.warn(`rollout ${id}: ${String(err)}`));
  }

  /** Applies the thresholds to the groups started so far; called under the rollout's lock. */
  private async evaluate(id: string): Promise<void> {
    for (;;) {
      const r = this.ctx.model.rollouts.get(id);
      if (!r || !live.has(r.state)) return;
      const summary = summarize(this.ctx.model, r, false);
      const groups = this.groupSteps(r);
      let changed = false;
      const succeeded: number[] = [];
      for (const g of summary.groups) {
        const step = groups[g.index]!;
        // The server stopped after a group's deployment was made but before that was recorded.
        if (step.state === 'scheduled' && g.deploymentIds.length > 0) {
          groups[g.index] = { state: 'running', startedAt: new Date().toISOString() };
          changed = true;
        }
        if (groups[g.index]!.state !== 'running') continue;
        const c = g.counts;
        if (c.total > 0 && c.failed * 100 > r.errorThreshold * c.total) {
          groups[g.index] = { ...groups[g.index]!, state: 'error' };
          const reason = `${g.name}: ${c.failed} of ${c.total} device(s) failed (${Math.round((c.failed * 100) / c.total)}%), over the error threshold of ${r.errorThreshold}%; fix the cause, then resume (failed devices are offered the release again)`;
          await this.step(r, 'paused', reason, groups);
          this.announce('rollout.paused', id);
          return;
        }
        if (c.succeeded * 100 >= r.successThreshold * c.total) {
          groups[g.index] = { ...groups[g.index]!, state: 'succeeded' };
          succeeded.push(g.index);
          changed = true;
        }
      }
      const last = lastStarted(groups);
      const next = last + 1 < groups.length ? last + 1 : -1;
      if (last >= 0 && groups[last]!.state === 'succeeded' && next >= 0) {
        if (r.advance === 'auto') {
          await this.startGroup(r, next, 'running', undefined, groups);
          for (const i of succeeded) this.announce('rollout.group-succeeded', id, { group: i });
          continue;
        }
        if (r.state !== 'waiting' || changed) {
          await this.step(r, 'waiting', `${r.groups[last]!.name} reached its success threshold; approve to start ${r.groups[next]!.name}`, groups);
          for (const i of succeeded) this.announce('rollout.group-succeeded', id, { group: i });
          if (r.state !== 'waiting') this.announce('rollout.waiting', id);
          return;
        }
      } else if (last === groups.length - 1 && groups.every((g) => g.state === 'succeeded') && summary.counts.running === 0) {
        await this.step(r, 'finished', `every group reached its success threshold: ${summary.counts.succeeded} of ${summary.counts.total} device(s) run the release`, groups);
        for (const i of succeeded) this.announce('rollout.group-succeeded', id, { group: i });
        this.announce('rollout.finished', id);
        return;
      } else if (changed) {
        await this.step(r, r.state, r.reason, groups);
        for (const i of succeeded) this.announce('rollout.group-succeeded', id, { group: i });
      }
      this.ctx.events.emit('rollout.progress', summary, false);
      return;
    }
  }

  /** Starts group `index` (a deployment to its devices; an empty group succeeds at once) and records the rollout's new state. */
  private async startGroup(r: StoredRollout, index: number, state: RolloutStateName, reason: string | undefined, groups = this.groupSteps(r)): Promise<void> {
    const devices = r.groups[index]!.devices;
    if (devices.length > 0) await this.createGroupDeployment(r, index, devices);
    const next = [...groups];
    next[index] = { state: devices.length > 0 ? 'running' : 'succeeded', startedAt: new Date().toISOString() };
    await this.step(r, state, reason, next);
    this.announce('rollout.group-started', r.id, { group: index });
  }

  private createGroupDeployment(r: StoredRollout, index: number, devices: string[]): Promise<Deployment> {
    return this.catalog.createDeployment({ releaseId: r.releaseId, pid: r.pid, fwKey: r.fwKey, channel: r.channel, devices, type: r.type }, { rolloutId: r.id, rolloutGroup: index });
  }

  private async step(r: StoredRollout, state: RolloutStateName, reason: string | undefined, groups: GroupSteps): Promise<void> {
    await this.ctx.record({ t: 'rollout.step', step: { id: r.id, at: new Date().toISOString(), state, ...(reason !== undefined ? { reason } : {}), groups } });
  }

  private groupSteps(r: StoredRollout): GroupSteps {
    return r.groups.map((g) => ({ state: g.state, ...(g.startedAt ? { startedAt: g.startedAt } : {}) }));
  }

  /** Devices the server knows that the policy would offer this target to, in id order. */
  private matchingDevices(target: { pid: string; fwKey: string; channel: string }): string[] {
    const probe: Deployment = { id: '(rollout)', releaseId: '', ...target, devices: 'all', type: 'forced', state: 'active', createdAt: '' };
    const keys = this.catalog.boundKeys(target.pid);
    return [...this.ctx.model.devices.values()]
      .filter((d) => decideOffer(d, probe, keys, undefined).offer)
      .map((d) => d.id)
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  }

  private stored(id: string): StoredRollout {
    const r = this.ctx.model.rollouts.get(id);
    if (!r) throw new OtaError(`no rollout ${id}`, { code: 'not-found', hint: 'list rollouts with GET /api/v1/rollouts' });
    return r;
  }

  private announce(type: ServerEventType, id: string, extra: Record<string, unknown> = {}): RolloutSummary {
    const summary = this.get(id, false);
    this.ctx.events.emit(type, { ...summary, ...extra });
    return summary;
  }
}

function lastStarted(groups: GroupSteps): number {
  let last = -1;
  groups.forEach((g, i) => {
    if (g.state !== 'scheduled') last = i;
  });
  return last;
}
