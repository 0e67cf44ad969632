import type { CliCommand } from '../command';
import { parseArgs, stringFlag } from '../args';
import { usageError, withJsonErrors, writeJson } from '../cliOutput';
import { clientFromFlags } from '../serverFlags';

const usage = 'ota bind --server URL [--token-env VAR] --pid P --key K[,K2...] [--json]';

/** The seed's fix for a fleet shipped with an old firmware key: bind that key to the PID too. */
export const bindCommand: CliCommand = {
  path: ['bind'],
  summary: 'bind firmware keys to a PID on an OTA server, so devices reporting them are offered its deployments',
  usage,
  run: async (ctx) => {
    const parsed = parseArgs(ctx.args, ['json']);
    const json = parsed.flags.get('json') === true;
    if (parsed.positionals.length) return usageError(ctx, usage, `unexpected argument '${parsed.positionals[0]}'`);
    const pid = stringFlag(parsed, 'pid');
    const keys = (stringFlag(parsed, 'key') ?? '').split(',').map((k) => k.trim()).filter(Boolean);
    if (!pid) return usageError(ctx, usage, '--pid is missing');
    if (keys.length === 0) return usageError(ctx, usage, '--key is missing');
    return withJsonErrors(ctx, json, async () => {
      const client = await clientFromFlags(ctx, parsed);
      const product = await client.bindKeys(pid, keys, ctx.signal);
      if (json) writeJson(ctx, { ok: true, ...product });
      else ctx.stdout.write(`PID ${product.pid}: keys ${product.keys.join(', ')}\n`);
      return 0;
    });
  },
};
