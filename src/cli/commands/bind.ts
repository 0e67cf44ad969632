import type { CommandRun } from '../command';
import { stringFlag } from '../args';
import { usageError, withJsonErrors, writeJson } from '../cliOutput';
import { clientFromFlags } from '../serverFlags';


/** The seed's fix for a fleet shipped with an old firmware key: bind that key to the PID too. */
export const bindCommand: CommandRun = async (ctx) => {
  const parsed = ctx.parsed;
  const json = parsed.flags.get('json') === true;
  if (parsed.positionals.length) return usageError(ctx, `unexpected argument '${parsed.positionals[0]}'`);
  const pid = stringFlag(parsed, 'pid');
  const keys = (stringFlag(parsed, 'fw-key') ?? '').split(',').map((k) => k.trim()).filter(Boolean);
  if (!pid) return usageError(ctx, '--pid is missing');
  if (keys.length === 0) return usageError(ctx, '--fw-key is missing');
  return withJsonErrors(ctx, json, async () => {
    const client = await clientFromFlags(ctx, parsed);
    const product = await client.bindKeys(pid, keys, ctx.signal);
    if (json) writeJson(ctx, { ok: true, ...product });
    else ctx.stdout.write(`PID ${product.pid}: keys ${product.keys.join(', ')}\n`);
    return 0;
  });
};
