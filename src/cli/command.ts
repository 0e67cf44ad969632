import type { ParsedArgs } from './args';
import type { Logger } from '../core/logger';

/** What every CLI command receives: what the parser read and where to write. */
export interface CliContext {
  /** The words that selected the command, e.g. 'config validate' (for messages). */
  command: string;
  parsed: ParsedArgs;
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  log: Logger;
  signal: AbortSignal;
}

/** A command's body; resolves to the process exit code (0 done, 1 failed, 2 usage). */
export type CommandRun = (ctx: CliContext) => Promise<number>;

/**
 * One option as the parser and the help see it. `flags` is commander's syntax:
 * `-k, --signing-key <KEY>` takes a value, `--json` does not, `<V...>` is not used (see repeatable).
 */
export interface OptionSpec {
  flags: string;
  description: string;
  choices?: readonly string[];
  /** May be given several times; the values arrive in ParsedArgs.lists. */
  repeatable?: boolean;
  /**
   * An old spelling kept for one release: hidden from help and completion, read as the option
   * named here (its long name), with a warning on stderr.
   */
  aliasOf?: string;
}

/**
 * A command as the parser, help and shell completion know it. It names no implementation module
 * statically: `load` imports the command's code only when it runs, so `ota version` does not pay
 * for the signing, server and serial code (each command, or group of commands sharing
 * most of their code, is a bundle of its own in dist/cli/; see scripts/build.mjs).
 */
export interface CommandSpec {
  /** Words that select the command, e.g. ['config', 'validate']. */
  readonly path: readonly string[];
  readonly summary: string;
  /** Positional arguments in commander's syntax: '<FILE>', '[FOLDER]'. */
  readonly args?: readonly string[];
  readonly options: readonly OptionSpec[];
  /** Environment variables the command reads, listed in its help. */
  readonly env?: readonly string[];
  /** More lines for `--help` (examples, notes). */
  readonly notes?: string;
  load(): Promise<CommandRun>;
}
