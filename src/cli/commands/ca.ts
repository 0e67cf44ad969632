import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { CommandRun } from '../command';
import { stringFlag } from '../args';
import { usageError } from '../cliOutput';
import { caAsCHeader, ensureTls } from '../../server/tls/certificates';
import { defaultDataDir } from './serve';


export const caCommand: CommandRun = async (ctx) => {
  const parsed = ctx.parsed;
  if (parsed.positionals.length) return usageError(ctx, `unexpected argument '${parsed.positionals[0]}'`);
  const format = stringFlag(parsed, 'format') ?? 'pem';
  if (format !== 'pem' && format !== 'c') return usageError(ctx, `--format must be pem or c, not '${format}'`);
  const dataDir = resolve(ctx.cwd, stringFlag(parsed, 'data') ?? defaultDataDir());
  const hosts = (stringFlag(parsed, 'tls-host') ?? '').split(',').map((h) => h.trim()).filter(Boolean);
  const tls = await ensureTls(join(dataDir, 'tls'), hosts);
  const text = format === 'c' ? caAsCHeader(tls.caCertPem) : tls.caCertPem;
  const out = stringFlag(parsed, 'output');
  if (out) {
    await writeFile(resolve(ctx.cwd, out), text);
    ctx.stderr.write(`info: wrote ${out}\n`);
  } else ctx.stdout.write(text);
  return 0;
};
