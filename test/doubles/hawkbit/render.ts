import type { ActionRow, ActionStatusRow, ArtifactRow, DoubleState, Generation, GroupRow, ModuleRow, RolloutRow, SetRow, TargetRow, TypeRow } from './state';

/** The documented response shapes (§2, §4 fixtures), per API generation (§5). */
export class Renderer {
  constructor(
    private readonly generation: Generation,
    private readonly state: DoubleState,
    private readonly host: () => string,
  ) {}

  private link(path: string): { href: string } {
    return { href: `${this.host()}/rest/v1/${path}` };
  }

  /** F1; `minArtifacts` only ≥0.10.0 (§5: the generation tell). */
  smType(t: TypeRow): unknown {
    return { name: t.name, description: '', key: t.key, maxAssignments: t.maxAssignments, ...(this.generation === 'current' ? { minArtifacts: 1 } : {}), deleted: false, _links: { self: this.link(`softwaremoduletypes/${t.id}`) }, id: t.id };
  }

  dsType(t: TypeRow): unknown {
    return { name: t.name, description: '', key: t.key, deleted: false, _links: { self: this.link(`distributionsettypes/${t.id}`), mandatorymodules: this.link(`distributionsettypes/${t.id}/mandatorymoduletypes`), optionalmodules: this.link(`distributionsettypes/${t.id}/optionalmoduletypes`) }, id: t.id };
  }

  /** F2 / §2.2: `complete` only ≥0.10.0. */
  module(m: ModuleRow): unknown {
    const type = this.state.smTypes.find((t) => t.key === m.type);
    return {
      ...m.audit,
      name: m.name,
      description: m.description ?? '',
      version: m.version,
      type: m.type,
      typeName: type?.name ?? m.type,
      vendor: m.vendor ?? '',
      encrypted: false,
      locked: m.locked,
      deleted: false,
      ...(this.generation === 'current' ? { complete: m.artifacts.length >= 1 } : {}),
      _links: { self: this.link(`softwaremodules/${m.id}`) },
      id: m.id,
    };
  }

  /** F3. */
  artifact(moduleId: number, a: ArtifactRow, withDownload: boolean): unknown {
    const self = `softwaremodules/${moduleId}/artifacts/${a.id}`;
    return { ...a.audit, hashes: { ...a.hashes }, providedFilename: a.providedFilename, size: a.size, _links: { self: this.link(self), ...(withDownload ? { download: this.link(`${self}/download`) } : {}) }, id: a.id };
  }

  /** F4 / §2.4. */
  set(s: SetRow): unknown {
    const type = this.state.dsTypes.find((t) => t.key === s.type);
    const modules = s.modules.map((id) => this.state.modules.get(id)!);
    const complete = modules.some((m) => m.type === 'os') && (this.generation === 'legacy' || modules.every((m) => m.artifacts.length >= 1));
    return {
      ...s.audit,
      name: s.name,
      description: s.description ?? '',
      version: s.version,
      modules: modules.map((m) => this.module(m)),
      requiredMigrationStep: false,
      type: s.type,
      typeName: type?.name ?? s.type,
      complete,
      locked: s.locked,
      deleted: false,
      valid: true,
      _links: { self: this.link(`distributionsets/${s.id}`) },
      id: s.id,
    };
  }

  /** F6. */
  target(t: TargetRow): unknown {
    const status = t.assignedDs === undefined ? 'registered' : t.assignedDs === t.installedDs ? 'in_sync' : 'pending';
    return {
      ...t.audit,
      name: t.name,
      description: '',
      controllerId: t.controllerId,
      updateStatus: status,
      ...(t.lastRequestAt !== undefined ? { lastControllerRequestAt: t.lastRequestAt, pollStatus: { lastRequestAt: t.lastRequestAt, nextExpectedRequestAt: t.lastRequestAt + 300_000, overdue: false } } : {}),
      requestAttributes: false,
      _links: { self: this.link(`targets/${encodeURIComponent(t.controllerId)}`) },
    };
  }

  /** F7 (≥0.10.0) or the ≤0.9.0 shape with `detailStatus` (§2.7, §5). `full` adds the GET-by-id links. */
  action(a: ActionRow, full: boolean): unknown {
    const active = !['finished', 'error', 'canceled'].includes(a.detail);
    const set = this.state.sets.get(a.ds)!;
    const rollout = a.rollout === undefined ? undefined : this.state.rollouts.get(a.rollout);
    const cid = encodeURIComponent(a.target);
    const links = full
      ? {
          self: this.link(`targets/${cid}/actions/${a.id}`),
          target: { ...this.link(`targets/${cid}`), name: a.target },
          distributionset: { ...this.link(`distributionsets/${a.ds}`), name: `${set.name}:${set.version}` },
          status: this.link(`targets/${cid}/actions/${a.id}/status?offset=0&limit=50&sort=id%3ADESC`),
          ...(rollout ? { rollout: this.link(`rollouts/${rollout.id}`) } : {}),
        }
      : { self: this.link(`targets/${cid}/actions/${a.id}`) };
    const state = this.generation === 'current' ? { active, status: a.detail } : { status: active ? 'pending' : 'finished', detailStatus: a.detail };
    return {
      ...a.audit,
      type: 'update',
      ...state,
      forceType: a.forceType,
      ...(a.forceTime !== undefined ? { forceTime: a.forceTime } : {}),
      ...(this.generation === 'current' ? { weight: 1000 } : {}),
      ...(a.maintenanceWindow ? { maintenanceWindow: { ...a.maintenanceWindow, nextStartAt: Date.now() + 60_000 } } : {}),
      ...(rollout ? { rollout: rollout.id, rolloutName: rollout.name } : {}),
      _links: links,
      id: a.id,
    };
  }

  /** F8. */
  actionStatus(s: ActionStatusRow): unknown {
    return { id: s.id, type: s.type, messages: [...s.messages], reportedAt: s.reportedAt, timestamp: s.reportedAt };
  }

  /** F9 (+ §2.9 per-status counts with double-l `cancelled`). */
  rollout(r: RolloutRow, full: boolean): unknown {
    const base = { ...r.audit, name: r.name, description: r.description ?? '', targetFilterQuery: r.query, distributionSetId: r.ds, status: r.status, totalTargets: r.groups.reduce((n, g) => n + g.targets.length, 0), deleted: false, type: r.type };
    const links = { self: this.link(`rollouts/${r.id}`), start: this.link(`rollouts/${r.id}/start`), pause: this.link(`rollouts/${r.id}/pause`), resume: this.link(`rollouts/${r.id}/resume`), groups: this.link(`rollouts/${r.id}/deploygroups`) };
    if (!full) return { ...base, _links: { self: links.self }, id: r.id };
    return { ...base, totalTargetsPerStatus: this.counts(r.groups.flatMap((g) => g.targets.map((t) => [g, t] as const)), r), totalGroups: r.groups.length, ...(r.forcetime !== undefined ? { forcetime: r.forcetime } : {}), dynamic: false, _links: links, id: r.id };
  }

  /** F10. */
  group(r: RolloutRow, g: GroupRow): unknown {
    return {
      name: g.name,
      description: g.name,
      successCondition: { condition: 'THRESHOLD', expression: String(r.successThreshold) },
      successAction: { action: 'NEXTGROUP', expression: '' },
      errorCondition: { condition: 'THRESHOLD', expression: String(r.errorThreshold) },
      errorAction: { action: 'PAUSE', expression: '' },
      targetFilterQuery: '',
      targetPercentage: 100 / r.groups.length,
      confirmationRequired: false,
      status: g.status,
      totalTargets: g.targets.length,
      totalTargetsPerStatus: this.counts(g.targets.map((t) => [g, t] as const), r),
      _links: { self: this.link(`rollouts/${r.id}/deploygroups/${g.id}`) },
      id: g.id,
    };
  }

  private counts(members: (readonly [GroupRow, string])[], r: RolloutRow): Record<string, number> {
    const c = { running: 0, notstarted: 0, scheduled: 0, cancelled: 0, finished: 0, error: 0 };
    for (const [g, cid] of members) {
      const action = [...this.state.actions.values()].find((a) => a.rollout === r.id && a.target === cid);
      if (action) {
        if (action.detail === 'finished') c.finished++;
        else if (action.detail === 'error') c.error++;
        else if (action.detail === 'canceled') c.cancelled++;
        else c.running++;
      } else if (g.status === 'scheduled' || (r.status !== 'creating' && r.status !== 'ready')) c.scheduled++;
      else c.notstarted++;
    }
    return c;
  }
}
