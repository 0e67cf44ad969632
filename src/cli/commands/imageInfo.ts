import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { CommandRun } from '../command';
import { stringFlag } from '../args';
import { usageError, withJsonErrors, writeJson } from '../cliOutput';
import { describeImage, formatRows } from '../../core/image/describeImage';
import type { InfoRow } from '../../core/image/describeImage';
import { inspectImage, parseImageFormatChoice } from '../../core/image/inspectImage';
import { readImageFile } from '../../core/image/readImageFile';
import { readKeySource } from '../../core/signing/keySource';
import { loadVerifyingKey } from '../../core/signing/loadKey';
import { verifyMcubootSignature } from '../../core/signing/mcubootVerify';
import type { SignatureCheck } from '../../core/signing/mcubootVerify';
import { passphraseFrom } from '../passphrase';
import { testKeyName } from '../../core/signing/testKeys';


export const imageInfoCommand: CommandRun = async (ctx) => {
  const parsed = ctx.parsed;
  const json = parsed.flags.get('json') === true;
  const [file, ...extra] = parsed.positionals;
  if (!file || extra.length) return usageError(ctx, file ? `unexpected argument '${extra[0]}'` : 'FILE is missing');
  return withJsonErrors(ctx, json, async () => {
    const path = resolve(ctx.cwd, file);
    const { bytes, hexBaseAddress } = await readImageFile(path);
    const info = inspectImage(bytes, file, parseImageFormatChoice(stringFlag(parsed, 'format')));
    const keySpec = stringFlag(parsed, 'signing-key');
    let signature: SignatureCheck | undefined;
    if (keySpec && info.format === 'mcuboot') {
      const key = loadVerifyingKey(await readKeySource(keySpec, ctx.env, ctx.cwd), passphraseFrom(parsed, ctx.env));
      signature = verifyMcubootSignature(bytes, info, key, file);
    }
    const md5 = createHash('md5').update(bytes).digest('hex');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (json) {
      writeJson(ctx, { ok: true, file, ...(hexBaseAddress !== undefined ? { hexBaseAddress } : {}), md5, sha256, image: info, ...(signature ? { signature } : {}) });
    } else {
      const rows: InfoRow[] = [['file', file]];
      if (hexBaseAddress !== undefined) rows.push(['converted from', `Intel HEX, base address 0x${hexBaseAddress.toString(16)}`]);
      rows.push(...describeImage(info), ['file MD5', md5], ['file SHA-256', sha256]);
      const testKey = info.format === 'mcuboot' && info.keyHash ? testKeyName(info.keyHash) : undefined;
      if (testKey) rows.push(['WARNING', `signed with the ${testKey}, whose private key is public`]);
      if (signature) rows.push(['signature check', `${signature.ok ? 'ok' : 'FAILED'}: ${signature.detail}${signature.where ? ` (${signature.where})` : ''}`]);
      ctx.stdout.write(formatRows(rows));
    }
    return signature && !signature.ok ? 1 : 0;
  });
};
