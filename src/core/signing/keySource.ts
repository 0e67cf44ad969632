import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { OtaError } from '../errors';

/**
 * Where a PEM comes from: a file path, or `env:NAME` for CI secrets held in an environment
 * variable. Keys never live in the workspace config, so there is no third kind.
 */
export interface KeySource {
  /** Human-readable origin for messages: the path, or env:NAME. Never the key itself. */
  label: string;
  pem: string;
}

export async function readKeySource(spec: string, env: NodeJS.ProcessEnv, cwd: string): Promise<KeySource> {
  if (spec.startsWith('env:')) {
    const name = spec.slice(4);
    const value = env[name];
    if (!value) {
      throw new OtaError(`environment variable ${name} is not set or empty`, {
        where: spec,
        hint: `Export the PEM text of the key in ${name}, or pass -k with a path to the PEM file.`,
        code: 'key-missing',
      });
    }
    return { label: spec, pem: value };
  }
  const path = resolve(cwd, spec);
  try {
    return { label: spec, pem: await readFile(path, 'utf8') };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : String(code ?? err);
    throw new OtaError(`cannot read key file: ${why}`, {
      where: path,
      hint: 'Pass -k with the path of a PEM key (ota key generate makes one), or -k env:NAME for a key held in an environment variable.',
      code: 'key-unreadable',
      cause: err,
    });
  }
}
