import { execFile } from 'node:child_process';
import { join } from 'node:path';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the compiled CLI as a real child process, the way CI and terminals run it. */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  const main = join(__dirname, '..', '..', '..', 'src', 'cli', 'main.js');
  return new Promise((resolvePromise) => {
    execFile(process.execPath, [main, ...args], { cwd: options.cwd ?? process.cwd(), env: options.env ?? process.env, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolvePromise({ code, stdout, stderr });
    });
  });
}
