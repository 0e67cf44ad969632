import { resolve } from 'node:path';
import type { CommandRun } from '../command';
import { stringFlag } from '../args';
import { usageError, withJsonErrors, writeJson } from '../cliOutput';
import { passphraseFrom } from '../passphrase';
import { OtaError } from '../../core/errors';
import { writeAtomically } from '../../core/files/atomicOutput';
import { generateSigningKey } from '../../core/signing/generateKey';
import { keyKinds } from '../../core/signing/keyKind';
import type { KeyKind } from '../../core/signing/keyKind';
import { enclosingWorkspace } from '../../core/signing/workspaceKeyCheck';
import { existsSync } from 'node:fs';


export const keyGenerateCommand: CommandRun = async (ctx) => {
  const parsed = ctx.parsed;
  const json = parsed.flags.get('json') === true;
  const type = stringFlag(parsed, 'type');
  const output = stringFlag(parsed, 'output');
  if (!type || !(keyKinds as readonly string[]).includes(type)) return usageError(ctx, `--type must be one of ${keyKinds.join(', ')}`);
  if (!output) return usageError(ctx, '-o KEY.pem is missing');
  return withJsonErrors(ctx, json, async () => {
    const path = resolve(ctx.cwd, output);
    if (existsSync(path)) {
      throw new OtaError('refusing to overwrite an existing key file', { where: path, hint: 'Choose another -o path; replacing a key would orphan every device that trusts it.', code: 'key-exists' });
    }
    const workspace = enclosingWorkspace(path);
    if (workspace && parsed.flags.get('allow-in-workspace') !== true) {
      throw new OtaError(`refusing to write a private key inside the workspace/repository ${workspace}`, {
        where: path,
        hint: 'Keep keys outside the repository (e.g. ~/.ota-keys/) and point -k or ${env:…} at them; pass --allow-in-workspace for a throwaway test key.',
        code: 'key-in-workspace',
      });
    }
    const passphrase = passphraseFrom(parsed, ctx.env);
    const key = await generateSigningKey(type as KeyKind, passphrase);
    await writeAtomically(path, (out) => out.write(Buffer.from(key.privatePem)), { mode: 0o600 });
    const publicOut = stringFlag(parsed, 'public-out');
    if (publicOut) await writeAtomically(resolve(ctx.cwd, publicOut), (out) => out.write(Buffer.from(key.publicPem)));
    if (json) writeJson(ctx, { ok: true, kind: key.kind, keyId: key.keyId, path, encrypted: passphrase !== undefined, ...(publicOut ? { publicPath: resolve(ctx.cwd, publicOut) } : {}) });
    else ctx.stdout.write(`${key.kind} key ${key.keyId} written to ${output}${passphrase !== undefined ? ' (encrypted)' : ''}\n${key.publicPem}`);
    return 0;
  });
};
