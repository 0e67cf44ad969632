import { readFile } from 'node:fs/promises';
import type { ParsedArgs } from './args';
import { stringFlag } from './args';
import type { CliContext } from './command';
import { OtaError } from '../core/errors';
import { ManagementClient } from '../providers/ota/managementClient';

export const defaultTokenEnv = 'OTA_SERVER_TOKEN';

/**
 * The management client for `--server URL [--token-env VAR] [--ca FILE]`. The token comes from an
 * environment variable, never from a flag, so it stays out of shell history and CI logs.
 */
export async function clientFromFlags(ctx: CliContext, parsed: ParsedArgs): Promise<ManagementClient> {
  const server = stringFlag(parsed, 'server') ?? ctx.env.OTA_SERVER_URL;
  if (!server) throw new OtaError('no server given', { code: 'usage', hint: 'pass --server URL (or set OTA_SERVER_URL)' });
  const token = tokenFromEnv(ctx, parsed);
  const caFile = stringFlag(parsed, 'ca');
  return new ManagementClient(server, token, caFile ? { ca: await readFile(caFile, 'utf8') } : {});
}

/** The management token from `--token-env VAR` (default OTA_SERVER_TOKEN), trimmed; a usage error when unset. */
export function tokenFromEnv(ctx: CliContext, parsed: ParsedArgs): string {
  const tokenEnv = stringFlag(parsed, 'token-env') ?? defaultTokenEnv;
  const token = ctx.env[tokenEnv];
  if (!token) {
    throw new OtaError(`environment variable ${tokenEnv} is not set`, {
      code: 'usage',
      hint: `put the server's management token in ${tokenEnv} (ota serve prints where its token file is), or name another variable with --token-env`,
    });
  }
  return token.trim();
}
