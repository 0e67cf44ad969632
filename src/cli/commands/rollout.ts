import type { CliContext, CommandRun } from '../command';
import type { ParsedArgs } from '../args';
import { stringFlag } from '../args';
import { usageError, withJsonErrors, writeJson } from '../cliOutput';
import { deployFromFlags } from '../deployFlags';
import { providerFromFlags } from '../providerFlags';
import { resolveTarget } from '../pushFlow';
import { OtaError } from '../../core/errors';
import { escapeControlChars } from '../../core/text/controlChars';
import type { RolloutApi, RolloutStatus } from '../../providers/provider';

/** The staged-rollout API of the chosen server, or a clear error for servers without one. */
async function rolloutsOf(ctx: CliContext, parsed: ParsedArgs): Promise<{ api: RolloutApi; server: Awaited<ReturnType<typeof providerFromFlags>> }> {
  const server = await providerFromFlags(ctx, parsed);
  if (!server.provider.rollouts) {
    throw new OtaError(`server ${server.provider.name} has no staged rollouts`, { hint: 'use `ota deploy` there' });
  }
  return { api: server.provider.rollouts, server };
}

function print(ctx: CliContext, json: boolean, r: RolloutStatus | RolloutStatus[]): void {
  if (json) return writeJson(ctx, { ok: true, ...(Array.isArray(r) ? { rollouts: r } : { rollout: r }) });
  for (const x of Array.isArray(r) ? r : [r]) {
    const counts = Object.entries(x.perStatus).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ');
    ctx.stdout.write(`rollout ${x.id} ${escapeControlChars(x.name)}: ${x.status}, ${x.totalTargets} target(s)${counts ? ` (${counts})` : ''}\n`);
    if (x.reason) ctx.stdout.write(`  ${escapeControlChars(x.reason)}\n`);
    for (const g of x.groups) {
      const per = Object.entries(g.perStatus).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ');
      ctx.stdout.write(`  ${escapeControlChars(g.name)}: ${g.status}, ${g.totalTargets} target(s)${per ? ` (${per})` : ''}\n`);
    }
  }
}

function percent(parsed: ParsedArgs, name: string): number | undefined {
  const text = stringFlag(parsed, name);
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!(n >= 0 && n <= 100)) throw new OtaError(`--${name} '${text}' is not a percentage 0..100`, { code: 'usage' });
  return n;
}

/** `ota rollout create RELEASE`: a staged rollout over the devices of the release's channel. */
export const rolloutCreateCommand: CommandRun = async (ctx) => {
  const parsed = ctx.parsed;
  const json = parsed.flags.get('json') === true;
  const [release, ...extra] = parsed.positionals;
  if (!release) return usageError(ctx, 'RELEASE is missing');
  if (extra.length) return usageError(ctx, `unexpected argument '${extra[0]}'`);
  const name = stringFlag(parsed, 'name');
  if (!name) return usageError(ctx, '--name is missing');
  const groupsText = stringFlag(parsed, 'groups');
  if (groupsText === undefined) return usageError(ctx, '--groups is missing: a number of equal groups, or sizes like 1,25%,75%');
  let groups: { count: number; sizes?: ({ count: number } | { percent: number })[] };
  try {
    groups = parseGroups(groupsText);
  } catch (err) {
    return usageError(ctx, (err as Error).message);
  }
  const how = deployFromFlags(parsed);
  const advance = parsed.flags.get('approve') === true ? ('approve' as const) : undefined;
  return withJsonErrors(ctx, json, async () => {
    const { api, server } = await rolloutsOf(ctx, parsed);
    const channel = stringFlag(parsed, 'channel');
    const pid = stringFlag(parsed, 'pid');
    // Our server knows the release's own PID, key and channel; hawkBit needs them from here.
    const target = server.provider.kind === 'ota' && !server.workspace
      ? { ...(pid ? { pid } : {}), ...(channel ? { channel } : {}), boundKeys: [] }
      : resolveTarget(server.workspace, { ...(channel ? { channel } : {}), ...(pid ? { pid } : {}) });
    const success = percent(parsed, 'success');
    const error = percent(parsed, 'error');
    const created = await api.create(
      {
        name,
        releaseId: release,
        ...target,
        groups: groups.count,
        ...(groups.sizes ? { groupSizes: groups.sizes } : {}),
        ...(how.devices ? { devices: how.devices } : {}),
        ...(advance ? { advance } : {}),
        type: how.type,
        ...(how.forceTime !== undefined ? { forceTime: how.forceTime } : {}),
        ...(success !== undefined ? { successThreshold: success } : {}),
        ...(error !== undefined ? { errorThreshold: error } : {}),
      },
      ctx.signal,
    );
    print(ctx, json, created);
    return 0;
  });
};

/** `3` (three equal groups), or one size per group: `1,25%,75%` (counts and percentages of the devices). */
export function parseGroups(text: string): { count: number; sizes?: ({ count: number } | { percent: number })[] } {
  const t = text.trim();
  if (/^\d+$/.test(t)) {
    const n = Number(t);
    if (n < 1) throw new Error(`--groups '${text}': at least 1 group`);
    return { count: n };
  }
  const sizes = t.split(',').map((part) => {
    const p = part.trim();
    if (/^\d+$/.test(p) && Number(p) >= 1) return { count: Number(p) };
    const m = /^(\d+(?:\.\d+)?)%$/.exec(p);
    if (m && Number(m[1]) > 0 && Number(m[1]) <= 100) return { percent: Number(m[1]) };
    throw new Error(`--groups '${text}': '${p}' is neither a device count (≥ 1) nor a percentage like 25%`);
  });
  return { count: sizes.length, sizes };
}

function idCommand(verb: 'start' | 'pause' | 'resume' | 'status' | 'approve' | 'cancel'): CommandRun {
  return async (ctx) => {
    const parsed = ctx.parsed;
    const json = parsed.flags.get('json') === true;
    const [id, ...extra] = parsed.positionals;
    if (!id && verb !== 'status') return usageError(ctx, 'ID is missing');
    if (extra.length) return usageError(ctx, `unexpected argument '${extra[0]}'`);
    const timeout = stringFlag(parsed, 'timeout');
    if (timeout !== undefined && !(Number(timeout) > 0)) return usageError(ctx, `--timeout '${timeout}' is not a number of seconds`);
    return withJsonErrors(ctx, json, async () => {
      const { api } = await rolloutsOf(ctx, parsed);
      if (verb === 'status') print(ctx, json, id ? await api.status(id, ctx.signal) : await api.list(ctx.signal));
      else if (verb === 'start') print(ctx, json, await api.start(id!, { signal: ctx.signal, ...(timeout ? { timeoutMs: Number(timeout) * 1000 } : {}) }));
      else print(ctx, json, await api[verb](id!, ctx.signal));
      return 0;
    });
  };
}

export const rolloutStartCommand = idCommand('start');
export const rolloutPauseCommand = idCommand('pause');
export const rolloutResumeCommand = idCommand('resume');
export const rolloutStatusCommand = idCommand('status');
export const rolloutApproveCommand = idCommand('approve');
export const rolloutCancelCommand = idCommand('cancel');
