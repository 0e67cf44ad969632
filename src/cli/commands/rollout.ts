import type { CliCommand, CliContext } from '../command';
import type { ParsedArgs } from '../args';
import { parseArgs, stringFlag } from '../args';
import { usageError, withJsonErrors, writeJson } from '../cliOutput';
import { deployBooleans, deployFromFlags } from '../deployFlags';
import { providerFromFlags } from '../providerFlags';
import { resolveTarget } from '../pushFlow';
import { OtaError } from '../../core/errors';
import type { RolloutApi, RolloutStatus } from '../../providers/provider';

const common = '[--server NAME|URL] [--folder DIR] [--json]';
const createUsage = `ota rollout create RELEASE --name N [--channel C] [--pid P] --groups N [--success PERCENT] [--error PERCENT] [--forced | --download-only | --time-forced WHEN] ${common}`;
const idUsage = (verb: string) => `ota rollout ${verb} ID ${verb === 'start' ? '[--timeout SECONDS] ' : ''}${common}`;

/** The staged-rollout API of the chosen server, or a clear error for servers without one. */
async function rolloutsOf(ctx: CliContext, parsed: ParsedArgs): Promise<{ api: RolloutApi; server: Awaited<ReturnType<typeof providerFromFlags>> }> {
  const server = await providerFromFlags(ctx, parsed);
  if (!server.provider.rollouts) {
    throw new OtaError(`server ${server.provider.name} has no staged rollouts (an OTA Workbench server deploys at once)`, { hint: 'use `ota deploy` there, or a hawkBit server for rollouts' });
  }
  return { api: server.provider.rollouts, server };
}

function print(ctx: CliContext, json: boolean, r: RolloutStatus | RolloutStatus[]): void {
  if (json) return writeJson(ctx, { ok: true, ...(Array.isArray(r) ? { rollouts: r } : { rollout: r }) });
  for (const x of Array.isArray(r) ? r : [r]) {
    const counts = Object.entries(x.perStatus).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ');
    ctx.stdout.write(`rollout ${x.id} ${x.name}: ${x.status}, ${x.totalTargets} target(s)${counts ? ` (${counts})` : ''}\n`);
    for (const g of x.groups) ctx.stdout.write(`  ${g.name}: ${g.status}, ${g.totalTargets} target(s)\n`);
  }
}

function percent(parsed: ParsedArgs, name: string): number | undefined {
  const text = stringFlag(parsed, name);
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!(n >= 0 && n <= 100)) throw new OtaError(`--${name} '${text}' is not a percentage 0..100`, { code: 'usage' });
  return n;
}

const rolloutCreate: CliCommand = {
  path: ['rollout', 'create'],
  summary: 'create a staged rollout of a published release over the devices of its channel (hawkBit)',
  usage: createUsage,
  run: async (ctx) => {
    const parsed = parseArgs(ctx.args, ['json', ...deployBooleans]);
    const json = parsed.flags.get('json') === true;
    const [release, ...extra] = parsed.positionals;
    if (!release) return usageError(ctx, createUsage, 'RELEASE is missing');
    if (extra.length) return usageError(ctx, createUsage, `unexpected argument '${extra[0]}'`);
    const name = stringFlag(parsed, 'name');
    if (!name) return usageError(ctx, createUsage, '--name is missing');
    const groups = Number(stringFlag(parsed, 'groups') ?? '');
    if (!Number.isInteger(groups) || groups < 1) return usageError(ctx, createUsage, '--groups N (a whole number ≥ 1) is missing');
    const how = deployFromFlags(parsed);
    return withJsonErrors(ctx, json, async () => {
      const { api, server } = await rolloutsOf(ctx, parsed);
      const channel = stringFlag(parsed, 'channel');
      const pid = stringFlag(parsed, 'pid');
      const target = resolveTarget(server.workspace, { ...(channel ? { channel } : {}), ...(pid ? { pid } : {}) });
      const success = percent(parsed, 'success');
      const error = percent(parsed, 'error');
      const created = await api.create(
        {
          name,
          releaseId: release,
          pid: target.pid,
          fwKey: target.fwKey,
          channel: target.channel,
          boundKeys: target.boundKeys,
          groups,
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
  },
};

function idCommand(verb: 'start' | 'pause' | 'resume' | 'status', summary: string): CliCommand {
  return {
    path: ['rollout', verb],
    summary,
    usage: idUsage(verb),
    run: async (ctx) => {
      const parsed = parseArgs(ctx.args, ['json']);
      const json = parsed.flags.get('json') === true;
      const [id, ...extra] = parsed.positionals;
      if (!id && verb !== 'status') return usageError(ctx, idUsage(verb), 'ID is missing');
      if (extra.length) return usageError(ctx, idUsage(verb), `unexpected argument '${extra[0]}'`);
      const timeout = stringFlag(parsed, 'timeout');
      return withJsonErrors(ctx, json, async () => {
        const { api } = await rolloutsOf(ctx, parsed);
        if (verb === 'status') print(ctx, json, id ? await api.status(id, ctx.signal) : await api.list(ctx.signal));
        else if (verb === 'start') print(ctx, json, await api.start(id!, { signal: ctx.signal, ...(timeout ? { timeoutMs: Number(timeout) * 1000 } : {}) }));
        else print(ctx, json, await api[verb](id!, ctx.signal));
        return 0;
      });
    },
  };
}

export const rolloutCommands: CliCommand[] = [
  rolloutCreate,
  idCommand('start', 'start a rollout once its groups are built (waits for ready)'),
  idCommand('pause', 'pause a running rollout'),
  idCommand('resume', 'resume a paused rollout'),
  idCommand('status', 'show a rollout with its groups (all rollouts without ID)'),
];
