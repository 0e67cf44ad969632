import { execFile } from 'node:child_process';
import { join } from 'node:path';

/** The compiled CLI entry point (out/src/cli/main.js), next to these compiled tests. */
export const cliMain = join(__dirname, '..', '..', 'src', 'cli', 'main.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the compiled CLI as a real child process, the way CI and terminals run it. `env` is added
 * to this process's environment (a variable set to '' is how a test clears one).
 */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  return new Promise((resolvePromise) => {
    execFile(process.execPath, [cliMain, ...args], { cwd: options.cwd ?? process.cwd(), env: { ...process.env, ...options.env }, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolvePromise({ code, stdout, stderr });
    });
  });
}
