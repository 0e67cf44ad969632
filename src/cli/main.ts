import { commands } from './commands';
import type { CliCommand, CliContext } from './command';
import { describeError, OtaError } from '../core/errors';
import type { Logger } from '../core/logger';

function stderrLogger(verbose: boolean): Logger {
  const write = (level: string, message: string | Error, args: unknown[]) =>
    process.stderr.write(`${level}: ${message instanceof Error ? message.message : message}${args.length ? ' ' + args.map(String).join(' ') : ''}\n`);
  return {
    trace: (m, ...a) => verbose && write('trace', m, a),
    debug: (m, ...a) => verbose && write('debug', m, a),
    info: (m, ...a) => write('info', m, a),
    warn: (m, ...a) => write('warning', m, a),
    error: (m, ...a) => write('error', m, a),
  };
}

/** Finds the command whose path is the longest prefix of argv. */
export function findCommand(argv: readonly string[]): { command: CliCommand; rest: string[] } | undefined {
  let best: CliCommand | undefined;
  for (const command of commands) {
    const matches = command.path.every((word, i) => argv[i] === word);
    if (matches && (!best || command.path.length > best.path.length)) best = command;
  }
  return best ? { command: best, rest: argv.slice(best.path.length) } : undefined;
}

function usage(list: readonly CliCommand[] = commands, head = 'usage: ota <command> [options]'): string {
  const width = Math.max(...list.map((c) => c.usage.length));
  return [head, '', ...list.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`), ''].join('\n');
}

/**
 * The commands under a group named by the leading words of argv (`ota image` → image info,
 * image restamp), for `ota image --help` and a bare `ota image`.
 */
export function commandGroup(argv: readonly string[]): { words: string[]; commands: CliCommand[] } | undefined {
  const words: string[] = [];
  for (const a of argv) {
    if (a.startsWith('-')) break;
    words.push(a);
  }
  if (words.length === 0) return undefined;
  const under = commands.filter((c) => c.path.length > words.length && words.every((w, i) => c.path[i] === w));
  return under.length > 0 ? { words, commands: under } : undefined;
}

export async function main(argv: string[]): Promise<number> {
  const verbose = argv.includes('--verbose');
  const cleaned = argv.filter((a) => a !== '--verbose');
  if (cleaned.length === 0 || cleaned[0] === 'help' || cleaned[0] === '--help' || cleaned[0] === '-h') {
    process.stdout.write(usage());
    return cleaned.length === 0 ? 2 : 0;
  }
  const found = findCommand(cleaned);
  const group = found ? undefined : commandGroup(cleaned);
  if (group) {
    const help = cleaned.includes('--help') || cleaned.includes('-h');
    const text = usage(group.commands, `usage: ota ${group.words.join(' ')} <command> [options]`);
    if (help) process.stdout.write(text);
    else process.stderr.write(`ota ${group.words.join(' ')}: say which command\n\n${text}`);
    return help ? 0 : 2;
  }
  if (!found) {
    process.stderr.write(`ota: unknown command '${cleaned.join(' ')}'\n\n${usage()}`);
    return 2;
  }
  if (found.rest.includes('--help') || found.rest.includes('-h')) {
    process.stdout.write(`usage: ${found.command.usage}\n${found.command.summary}\n`);
    return 0;
  }
  const abort = new AbortController();
  const onSignal = () => abort.abort(new OtaError('interrupted'));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const ctx: CliContext = {
    args: found.rest,
    cwd: process.cwd(),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    log: stderrLogger(verbose),
    signal: abort.signal,
  };
  try {
    return await found.command.run(ctx);
  } catch (err) {
    if (err instanceof OtaError && err.code === 'usage') {
      // A missing or malformed option found deep in a command: same output as a parse problem.
      process.stderr.write(`${err.describe()}\nusage: ${found.command.usage}\n`);
      return 2;
    }
    process.stderr.write(`ota ${found.command.path.join(' ')}: ${describeError(err)}\n`);
    if (verbose && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    return err instanceof OtaError ? 1 : 70;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
