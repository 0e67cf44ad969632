import { resolve } from 'node:path';
import type { CommandRun } from '../command';
import { stringFlag } from '../args';
import { usageError, withJsonErrors, writeJson } from '../cliOutput';
import { integerFlag } from '../numberFlags';
import { passphraseFrom } from '../passphrase';
import { OtaError } from '../../core/errors';
import { writeAtomically } from '../../core/files/atomicOutput';
import { restampEspIdfImage } from '../../core/image/espIdfRestamp';
import { inspectImage } from '../../core/image/inspectImage';
import { parseMcubootVersion } from '../../core/image/mcubootVersion';
import { readImageFile } from '../../core/image/readImageFile';
import { readKeySource } from '../../core/signing/keySource';
import { loadSigningKey } from '../../core/signing/loadKey';
import { restampMcubootImage } from '../../core/signing/mcubootRestamp';
import { guardTestKey } from '../../core/signing/testKeys';


export const imageRestampCommand: CommandRun = async (ctx) => {
  const parsed = ctx.parsed;
  const json = parsed.flags.get('json') === true;
  const [file, ...extra] = parsed.positionals;
  const version = stringFlag(parsed, 'version');
  const output = stringFlag(parsed, 'output');
  if (!file || extra.length) return usageError(ctx, file ? `unexpected argument '${extra[0]}'` : 'FILE is missing');
  if (!version) return usageError(ctx, '--version is missing');
  if (!output) return usageError(ctx, '-o OUT is missing');
  return withJsonErrors(ctx, json, async () => {
    const { bytes } = await readImageFile(resolve(ctx.cwd, file));
    const info = inspectImage(bytes, file);
    const outPath = resolve(ctx.cwd, output);
    let previous: string;
    let now: string;
    if (info.format === 'esp-idf') {
      const secureVersion = integerFlag(parsed, 'secure-version');
      const result = restampEspIdfImage(bytes, file, { version, ...(secureVersion !== undefined ? { secureVersion } : {}) });
      await writeAtomically(outPath, (out) => out.write(result.bytes));
      previous = result.previousVersion;
      now = result.image.appDescription!.version;
    } else if (info.format === 'mcuboot') {
      const keySpec = stringFlag(parsed, 'signing-key');
      const key = keySpec ? loadSigningKey(await readKeySource(keySpec, ctx.env, ctx.cwd), passphraseFrom(parsed, ctx.env)) : undefined;
      if (key) guardTestKey(key, parsed.flags.get('production') === true, ctx.log);
      const result = await restampMcubootImage({ bytes, file, output: outPath, version: parseMcubootVersion(version), ...(key ? { key } : {}), signal: ctx.signal });
      previous = info.versionText;
      now = result.version;
    } else {
      throw new OtaError('a raw binary has no embedded version to re-stamp', { where: file, hint: 'Re-stamping works on ESP-IDF app images and MCUboot images.', code: 'restamp-unsupported' });
    }
    if (json) writeJson(ctx, { ok: true, format: info.format, previousVersion: previous, embeddedVersion: now, output });
    else ctx.stdout.write(`${output}: embedded version ${previous} -> ${now} (${info.format})\n`);
    return 0;
  });
};
