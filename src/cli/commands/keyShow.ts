import type { CommandRun } from '../command';
import { stringFlag } from '../args';
import { usageError, withJsonErrors, writeJson } from '../cliOutput';
import { passphraseFrom } from '../passphrase';
import { readKeySource } from '../../core/signing/keySource';
import { loadVerifyingKey } from '../../core/signing/loadKey';
import { testKeyName } from '../../core/signing/testKeys';


export const keyShowCommand: CommandRun = async (ctx) => {
  const parsed = ctx.parsed;
  const json = parsed.flags.get('json') === true;
  const spec = stringFlag(parsed, 'signing-key') ?? parsed.positionals[0];
  if (!spec) return usageError(ctx, '-k KEY is missing');
  return withJsonErrors(ctx, json, async () => {
    const key = loadVerifyingKey(await readKeySource(spec, ctx.env, ctx.cwd), passphraseFrom(parsed, ctx.env));
    const testKey = testKeyName(key.keyId);
    const publicPem = key.publicKey.export({ type: 'spki', format: 'pem' }) as string;
    if (json) writeJson(ctx, { ok: true, label: key.label, kind: key.kind, keyId: key.keyId, testKey: testKey ?? null, publicPem });
    else ctx.stdout.write(`${key.label}: ${key.kind}, key ID ${key.keyId}${testKey ? `\nWARNING: this is the ${testKey}; never sign production releases with it` : ''}\n${publicPem}`);
    return 0;
  });
};
