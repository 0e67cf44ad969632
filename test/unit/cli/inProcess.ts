import * as assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import type { CliContext } from '../../../src/cli/command';
import { findCommand } from '../../../src/cli/main';
import { silentLogger } from '../../../src/core/logger';

/** Runs a CLI command in this process the way `main` does, capturing its output. */
export async function ota(cwd: string, ...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return otaWithEnv(cwd, {}, ...argv);
}

/** The same with environment variables (credentials named by the workspace config). */
export async function otaWithEnv(cwd: string, env: NodeJS.ProcessEnv, ...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const found = findCommand(argv);
  assert.ok(found, `no command for ${argv.join(' ')}`);
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (b: Buffer) => out.push(b));
  stderr.on('data', (b: Buffer) => err.push(b));
  const ctx: CliContext = { args: found.rest, cwd, env, stdout, stderr, log: silentLogger, signal: new AbortController().signal };
  const code = await found.command.run(ctx);
  return { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
}
