import type { ParsedArgs } from './args';
import { stringFlag } from './args';
import { OtaError } from '../core/errors';

/** The passphrase env variable used when --passphrase-env is not given. */
export const defaultPassphraseEnv = 'OTA_KEY_PASSPHRASE';

/**
 * Passphrases come from the environment only, never from argv (which `ps` shows to everyone).
 */
export function passphraseFrom(parsed: ParsedArgs, env: NodeJS.ProcessEnv): string | undefined {
  const name = stringFlag(parsed, 'passphrase-env');
  if (name !== undefined) {
    const value = env[name];
    if (value === undefined) {
      throw new OtaError(`environment variable ${name} (named by --passphrase-env) is not set`, {
        hint: `Export the key's passphrase in ${name}.`,
        code: 'key-passphrase-missing',
      });
    }
    return value;
  }
  return env[defaultPassphraseEnv];
}
