import type { ParsedArgs } from './args';
import { stringFlag } from './args';
import { OtaError } from '../core/errors';

/** The device secret for HMAC-SHA256 comes from an environment variable named by --hmac-secret-env. */
export function hmacSecretFrom(parsed: ParsedArgs, env: NodeJS.ProcessEnv): Buffer | undefined {
  const name = stringFlag(parsed, 'hmac-secret-env');
  if (name === undefined) return undefined;
  const value = env[name];
  if (!value) {
    throw new OtaError(`environment variable ${name} (named by --hmac-secret-env) is not set or empty`, {
      hint: `Export the device secret in ${name}.`,
      code: 'secret-missing',
    });
  }
  return Buffer.from(value, 'utf8');
}
