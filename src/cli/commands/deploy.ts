import type { CommandRun } from '../command';
import { stringFlag } from '../args';
import { usageError, withJsonErrors, writeJson } from '../cliOutput';
import { deployFromFlags } from '../deployFlags';
import { providerFromFlags } from '../providerFlags';
import { resolveTarget } from '../pushFlow';

/** Deploys a release that is already on the server (ours: release id; hawkBit: distribution set id). */
export const deployCommand: CommandRun = async (ctx) => {
  const parsed = ctx.parsed;
  const json = parsed.flags.get('json') === true;
  const [release, ...extra] = parsed.positionals;
  if (!release) return usageError(ctx, 'RELEASE is missing');
  if (extra.length) return usageError(ctx, `unexpected argument '${extra[0]}'`);
  const how = deployFromFlags(parsed);
  return withJsonErrors(ctx, json, async () => {
    const server = await providerFromFlags(ctx, parsed);
    const key = stringFlag(parsed, 'fw-key');
    const channel = stringFlag(parsed, 'channel');
    const pid = stringFlag(parsed, 'pid');
    const target = resolveTarget(server.workspace, { ...(channel ? { channel } : {}), ...(pid ? { pid } : {}), ...(key ? { fwKey: key } : {}) });
    const result = await server.provider.deploy({ releaseId: release, pid: target.pid, fwKey: target.fwKey, channel: target.channel, boundKeys: target.boundKeys, ...how }, ctx.signal);
    if (json) writeJson(ctx, { ok: true, deployment: result });
    else for (const note of result.notes) ctx.stdout.write(`${note}\n`);
    return 0;
  });
};
