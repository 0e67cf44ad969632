import { PassThrough } from 'node:stream';
import type { CliIo } from '../../../src/cli/program';
import { contextFor, parseOta } from '../../../src/cli/program';
import { silentLogger } from '../../../src/core/logger';

/**
 * Runs `ota ARGV...` in this process through the same parser as `main`, capturing its output. The
 * command's own errors are not turned into exit codes here: they reach the test as thrown.
 */
export function ota(cwd: string, ...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return otaWithEnv(cwd, {}, ...argv);
}

/** `ota` as above, with these environment variables (e.g. OTA_SERVER_TOKEN). */
export async function otaWithEnv(cwd: string, env: NodeJS.ProcessEnv, ...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (b: Buffer) => out.push(b));
  stderr.on('data', (b: Buffer) => err.push(b));
  const io: CliIo = { cwd, env, stdout, stderr, log: silentLogger };
  const selected = await parseOta(argv, io);
  const code = typeof selected === 'number' ? selected : await (await selected.spec.load())(contextFor(selected, io));
  return { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
}
