import { OtaError } from '../errors';
import type { SecretRef } from './model';

type Env = Readonly<Record<string, string | undefined>>;

/** The environment variable the CLI reads for `${secret:NAME}`, since it has no VS Code SecretStorage. */
export function secretEnvName(name: string): string {
  return `OTA_SECRET_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/**
 * Resolves a credential reference outside VS Code: `${env:NAME}` from `NAME`, `${secret:NAME}`
 * from `OTA_SECRET_NAME`. The value is never put in the error message.
 */
export function resolveSecretFromEnv(ref: SecretRef, env: Env, field?: string): string {
  const variable = ref.kind === 'env' ? ref.name : secretEnvName(ref.name);
  const value = env[variable];
  if (value === undefined || value === '') {
    throw new OtaError(`${field ? `${field}: ` : ''}${ref.text} is not set`, {
      code: 'secret-missing',
      hint:
        ref.kind === 'env'
          ? `set the environment variable ${variable}`
          : `outside VS Code, set the environment variable ${variable} (in VS Code the secret comes from Secret Storage)`,
    });
  }
  return value;
}

/** Replaces every `${env:NAME}` in a string (build commands, env values, URLs) for the CLI. */
export function expandEnv(text: string, env: Env, field?: string): string {
  return text.replace(/\$\{env:([A-Za-z_][A-Za-z0-9_.-]*)\}/g, (whole, name: string) =>
    resolveSecretFromEnv({ kind: 'env', name, text: whole }, env, field),
  );
}
