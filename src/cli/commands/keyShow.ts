import type { CliCommand } from '../command';
import { parseArgs, stringFlag } from '../args';
import { usageError, withJsonErrors, writeJson } from '../cliOutput';
import { passphraseFrom } from '../passphrase';
import { readKeySource } from '../../core/signing/keySource';
import { loadVerifyingKey } from '../../core/signing/loadKey';
import { testKeyName } from '../../core/signing/testKeys';

const usage = 'ota key show -k KEY|env:NAME [--passphrase-env NAME] [--json]';

export const keyShowCommand: CliCommand = {
  path: ['key', 'show'],
  summary: "show a key's type and ID (the MCUboot key hash) and whether it is a public test key",
  usage,
  run: async (ctx) => {
    const parsed = parseArgs(ctx.args, ['json']);
    const json = parsed.flags.get('json') === true;
    const spec = stringFlag(parsed, 'k') ?? stringFlag(parsed, 'key') ?? parsed.positionals[0];
    if (!spec) return usageError(ctx, usage, '-k KEY is missing');
    return withJsonErrors(ctx, json, async () => {
      const key = loadVerifyingKey(await readKeySource(spec, ctx.env, ctx.cwd), passphraseFrom(parsed, ctx.env));
      const testKey = testKeyName(key.keyId);
      const publicPem = key.publicKey.export({ type: 'spki', format: 'pem' }) as string;
      if (json) writeJson(ctx, { ok: true, label: key.label, kind: key.kind, keyId: key.keyId, testKey: testKey ?? null, publicPem });
      else ctx.stdout.write(`${key.label}: ${key.kind}, key ID ${key.keyId}${testKey ? `\nWARNING: this is the ${testKey}; never sign production releases with it` : ''}\n${publicPem}`);
      return 0;
    });
  },
};
