import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { CliCommand } from '../command';
import { parseArgs, stringFlag } from '../args';
import { usageError } from '../cliOutput';
import { caAsCHeader, ensureTls } from '../../server/tls/certificates';
import { defaultDataDir } from './serve';

const usage = 'ota ca [--data DIR] [--tls-host H,...] [--format pem|c] [--out FILE]';

export const caCommand: CliCommand = {
  path: ['ca'],
  summary: "export the local OTA server's CA certificate (PEM, or a C header for firmware)",
  usage,
  run: async (ctx) => {
    const parsed = parseArgs(ctx.args);
    if (parsed.positionals.length) return usageError(ctx, usage, `unexpected argument '${parsed.positionals[0]}'`);
    const format = stringFlag(parsed, 'format') ?? 'pem';
    if (format !== 'pem' && format !== 'c') return usageError(ctx, usage, `--format must be pem or c, not '${format}'`);
    const dataDir = resolve(ctx.cwd, stringFlag(parsed, 'data') ?? defaultDataDir());
    const hosts = (stringFlag(parsed, 'tls-host') ?? '').split(',').map((h) => h.trim()).filter(Boolean);
    const tls = await ensureTls(join(dataDir, 'tls'), hosts);
    const text = format === 'c' ? caAsCHeader(tls.caCertPem) : tls.caCertPem;
    const out = stringFlag(parsed, 'out');
    if (out) {
      await writeFile(resolve(ctx.cwd, out), text);
      ctx.stderr.write(`wrote ${out}\n`);
    } else ctx.stdout.write(text);
    return 0;
  },
};
