import type { CliCommand } from '../command';
import { parseArgs, stringFlag } from '../args';
import { usageError, withJsonErrors, writeJson } from '../cliOutput';
import { deployBooleans, deployFromFlags, deployUsage } from '../deployFlags';
import { providerFromFlags } from '../providerFlags';
import { resolveTarget } from '../pushFlow';

const usage = `ota deploy RELEASE [--server NAME|URL] [--folder DIR] [--channel C] [--pid P] [--key K] ${deployUsage} [--json]`;

/** Deploys a release that is already on the server (ours: release id; hawkBit: distribution set id). */
export const deployCommand: CliCommand = {
  path: ['deploy'],
  summary: 'deploy a published release to the devices that match its channel (or named ones), on any configured server',
  usage,
  run: async (ctx) => {
    const parsed = parseArgs(ctx.args, ['json', ...deployBooleans]);
    const json = parsed.flags.get('json') === true;
    const [release, ...extra] = parsed.positionals;
    if (!release) return usageError(ctx, usage, 'RELEASE is missing');
    if (extra.length) return usageError(ctx, usage, `unexpected argument '${extra[0]}'`);
    const how = deployFromFlags(parsed);
    return withJsonErrors(ctx, json, async () => {
      const server = await providerFromFlags(ctx, parsed);
      const key = stringFlag(parsed, 'key');
      const channel = stringFlag(parsed, 'channel');
      const pid = stringFlag(parsed, 'pid');
      const target = resolveTarget(server.workspace, { ...(channel ? { channel } : {}), ...(pid ? { pid } : {}), ...(key ? { fwKey: key } : {}) });
      const result = await server.provider.deploy({ releaseId: release, pid: target.pid, fwKey: target.fwKey, channel: target.channel, boundKeys: target.boundKeys, ...how }, ctx.signal);
      if (json) writeJson(ctx, { ok: true, deployment: result });
      else for (const note of result.notes) ctx.stdout.write(`${note}\n`);
      return 0;
    });
  },
};
