import { resolve } from 'node:path';
import { OtaError } from '../../core/errors';
import type { CommandRun } from '../command';
import { stringFlag } from '../args';
import { usageError, withJsonErrors, writeJson } from '../cliOutput';
import { integerFlag } from '../numberFlags';
import { passphraseFrom } from '../passphrase';
import { terminalProgress } from '../progressBar';
import { parseMcubootVersion } from '../../core/image/mcubootVersion';
import { readKeySource } from '../../core/signing/keySource';
import { loadSigningKey } from '../../core/signing/loadKey';
import { signMcubootImage } from '../../core/signing/mcubootSign';
import { guardTestKey } from '../../core/signing/testKeys';


export const signCommand: CommandRun = async (ctx) => {
  const parsed = ctx.parsed;
  const json = parsed.flags.get('json') === true;
  const [input, ...extra] = parsed.positionals;
  const output = stringFlag(parsed, 'output');
  const versionText = stringFlag(parsed, 'version');
  if (!input) return usageError(ctx, 'IN is missing');
  if (extra.length) return usageError(ctx, `unexpected argument '${extra[0]}'`);
  if (!output) return usageError(ctx, '-o OUT is missing');
  if (!versionText) return usageError(ctx, '--version is missing');
  return withJsonErrors(ctx, json, async () => {
    const version = parseMcubootVersion(versionText);
    const keySpec = stringFlag(parsed, 'signing-key');
    const production = parsed.flags.get('production') === true;
    const key = keySpec ? loadSigningKey(await readKeySource(keySpec, ctx.env, ctx.cwd), passphraseFrom(parsed, ctx.env)) : undefined;
    if (key) guardTestKey(key, production, ctx.log);
    else ctx.log.warn('no key given (-k): the image gets a SHA256 TLV but no signature; a bootloader with signature checks will refuse it');
    const slotSize = integerFlag(parsed, 'slot-size');
    const align = integerFlag(parsed, 'align');
    const maxSectors = integerFlag(parsed, 'max-sectors');
    const loadAddress = integerFlag(parsed, 'load-addr');
    const securityCounter = securityCounterFlag(stringFlag(parsed, 'security-counter'));
    const progress = terminalProgress(ctx.stderr, 'signing');
    const result = await signMcubootImage({
      input: resolve(ctx.cwd, input),
      output: resolve(ctx.cwd, output),
      ...(key ? { key } : {}),
      version,
      headerSize: integerFlag(parsed, 'header-size') ?? 0x20,
      padHeader: parsed.flags.get('pad-header') === true,
      ...(slotSize !== undefined ? { slotSize } : {}),
      ...(align !== undefined ? { align } : {}),
      ...(maxSectors !== undefined ? { maxSectors } : {}),
      ...(loadAddress !== undefined ? { loadAddress } : {}),
      ...(securityCounter !== undefined ? { securityCounter } : {}),
      pad: parsed.flags.get('pad') === true,
      // One image and exit: no fsync (a signed image is remade from its inputs, as with imgtool) and
      // no worker thread to boot for MD5 of a small image.
      durable: false,
      oneShot: true,
      confirm: parsed.flags.get('confirm') === true,
      signal: ctx.signal,
      ...(progress.onProgress ? { onProgress: progress.onProgress } : {}),
    }).finally(progress.done);
    if (json) {
      writeJson(ctx, { ok: true, ...result, ...(key ? { keyLabel: key.label, keyKind: key.kind } : {}) });
    } else {
      const who = key ? `${key.kind} key ${key.keyId} (${key.label})` : 'no key (unsigned)';
      ctx.stdout.write(
        `signed ${output}: MCUboot version ${result.version}, ${who}\n` +
          `  ${result.file.size} bytes, payload ${result.imageSize}, TLV area 0x${result.tlvAreaSize.toString(16)}\n` +
          `  SHA-256 ${result.file.sha256}\n  MD5     ${result.file.md5}\n`,
      );
    }
    return 0;
  });
};

/** `--security-counter auto` or a number (decimal, 0x…), as imgtool takes it. */
function securityCounterFlag(text: string | undefined): number | 'auto' | undefined {
  if (text === undefined) return undefined;
  if (text.toLowerCase() === 'auto') return 'auto';
  const value = /^(0x[0-9a-f]+|0o[0-7]+|0b[01]+|\d+)$/i.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value)) throw new OtaError(`--security-counter ${text} is not a number`, { hint: 'Pass a number (decimal or 0x…) or auto (derived from the version).', code: 'usage' });
  return value;
}
