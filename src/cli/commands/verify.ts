import { resolve } from 'node:path';
import type { CommandRun } from '../command';
import { stringFlag } from '../args';
import { usageError, withJsonErrors, writeJson } from '../cliOutput';
import { hmacSecretFrom } from '../hmacSecret';
import { passphraseFrom } from '../passphrase';
import { parseImageFormatChoice } from '../../core/image/inspectImage';
import { readImageFile } from '../../core/image/readImageFile';
import { readManifest } from '../../core/release/readManifest';
import { readKeySource } from '../../core/signing/keySource';
import { loadVerifyingKey } from '../../core/signing/loadKey';
import { verifyFirmware } from '../../core/verify/verifyFirmware';


export const verifyCommand: CommandRun = async (ctx) => {
  const parsed = ctx.parsed;
  const json = parsed.flags.get('json') === true;
  const [file, ...extra] = parsed.positionals;
  if (!file || extra.length) return usageError(ctx, file ? `unexpected argument '${extra[0]}'` : 'FILE is missing');
  return withJsonErrors(ctx, json, async () => {
    const { bytes } = await readImageFile(resolve(ctx.cwd, file));
    const keySpec = stringFlag(parsed, 'signing-key');
    const key = keySpec ? loadVerifyingKey(await readKeySource(keySpec, ctx.env, ctx.cwd), passphraseFrom(parsed, ctx.env)) : undefined;
    const manifestPath = stringFlag(parsed, 'manifest');
    const manifest = manifestPath ? { value: await readManifest(resolve(ctx.cwd, manifestPath)), path: manifestPath } : undefined;
    const hmacSecret = hmacSecretFrom(parsed, ctx.env);
    const report = verifyFirmware({
      bytes,
      file,
      format: parseImageFormatChoice(stringFlag(parsed, 'format')),
      ...(key ? { key } : {}),
      ...(manifest ? { manifest } : {}),
      ...(hmacSecret ? { hmacSecret } : {}),
    });
    if (json) {
      writeJson(ctx, report);
    } else {
      const width = Math.max(...report.checks.map((c) => c.name.length));
      for (const c of report.checks) {
        const status = c.status === 'ok' ? 'ok     ' : c.status === 'failed' ? 'FAILED ' : 'skipped';
        ctx.stdout.write(`${status}  ${c.name.padEnd(width)}  ${c.detail}${c.where ? `\n${' '.repeat(width + 11)}at ${c.where}` : ''}\n`);
      }
      const failed = report.checks.filter((c) => c.status === 'failed').map((c) => c.name);
      ctx.stdout.write(failed.length ? `${file}: FAILED (${failed.join(', ')})\n` : `${file}: ok${report.embeddedVersion ? ` (embedded version ${report.embeddedVersion})` : ''}\n`);
    }
    return report.ok ? 0 : 1;
  });
};
