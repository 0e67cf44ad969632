import type { Logger } from '../core/logger';

/** What every CLI command receives: its own arguments and where to write. */
export interface CliContext {
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  log: Logger;
  signal: AbortSignal;
}

export interface CliCommand {
  /** Words that select the command, e.g. ['config', 'validate']. */
  readonly path: readonly string[];
  readonly summary: string;
  readonly usage: string;
  /** Resolves to the process exit code. */
  run(ctx: CliContext): Promise<number>;
}
