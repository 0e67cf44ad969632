import { Command, CommanderError, Option } from 'commander';
import type { ParsedArgs } from './args';
import type { CliContext, CommandSpec, OptionSpec } from './command';
import { commandSpecs } from './commandTable';
import { commandFooter, programFooter } from './helpText';
import { verboseOption } from './options';
import { stderrLogger } from './stderrLogger';
import { describeError, OtaError } from '../core/errors';
import type { Logger } from '../core/logger';
import { productVersion } from '../core/product';

/** Where a run of `ota` reads and writes: the real process in main.ts, captured streams in tests. */
export interface CliIo {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Default: severity-prefixed lines on stderr. */
  log?: Logger;
  signal?: AbortSignal;
}

/** The words before a command that only group others (`ota image info`): what `ota --help` says of them. */
const groupSummaries: Record<string, string> = {
  image: 'inspect firmware images and re-stamp their embedded version (image info, image restamp)',
  key: 'make and show signing keys (key generate, key show)',
  config: 'check the workspace config (config validate)',
  release: 'make releases from build outputs (release create)',
};

/** The command the parser chose, with what it read. */
export interface Selected {
  spec: CommandSpec;
  parsed: ParsedArgs;
  verbose: boolean;
}

/**
 * Runs `ota ARGV...` and resolves to its exit code. Commander parses and writes help and usage
 * errors; the chosen command's code is loaded only then (CommandSpec.load).
 */
export async function runOta(argv: readonly string[], io: CliIo): Promise<number> {
  const selected = await parseOta(argv, io);
  return typeof selected === 'number' ? selected : runCommand(selected, io);
}

/** The command to run, or the exit code when the parser already answered (help, --version, a usage error). */
export async function parseOta(argv: readonly string[], io: CliIo): Promise<Selected | number> {
  let selected: Selected | undefined;
  const program = buildProgram(io, (s) => (selected = s), specsFor(argv));
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return exitCodeOf(err);
    throw err;
  }
  // Help or the version was printed.
  return selected ?? 0;
}

/**
 * Only the commands ARGV can select, so a run builds one branch of the tree instead of all of it;
 * `ota --help`, `ota help X` and a mistyped command (which gets suggestions) get every command.
 */
function specsFor(argv: readonly string[]): readonly CommandSpec[] {
  const first = argv.find((word) => !word.startsWith('-'));
  const matching = commandSpecs.filter((spec) => spec.path[0] === first);
  return matching.length ? matching : commandSpecs;
}

/** Usage problems exit 2; help and --version asked for exit 0. */
function exitCodeOf(err: CommanderError): number {
  if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
  // `ota` or `ota image` alone: commander printed the help on stderr as an error.
  if (err.code === 'commander.help') return err.exitCode === 0 ? 0 : 2;
  return 2;
}

/** What a command's body receives for a parse of its command line. */
export function contextFor({ spec, parsed, verbose }: Selected, io: CliIo): CliContext {
  return {
    command: spec.path.join(' '),
    parsed,
    cwd: io.cwd,
    env: io.env,
    stdout: io.stdout,
    stderr: io.stderr,
    log: io.log ?? stderrLogger(io.stderr, verbose),
    signal: io.signal ?? new AbortController().signal,
  };
}

async function runCommand(selected: Selected, io: CliIo): Promise<number> {
  const name = selected.spec.path.join(' ');
  const verbose = selected.verbose;
  const run = await selected.spec.load();
  try {
    return await run(contextFor(selected, io));
  } catch (err) {
    if (err instanceof OtaError && err.code === 'usage') {
      // A missing or malformed value found by the command: printed like a parse problem.
      io.stderr.write(`error: ${err.describe()}\n${helpPointer(name)}\n`);
      return 2;
    }
    io.stderr.write(`error: ota ${name}: ${describeError(err)}\n`);
    if (verbose && err instanceof Error && err.stack) io.stderr.write(`${err.stack}\n`);
    return err instanceof OtaError ? 1 : 70;
  }
}

export function helpPointer(command: string): string {
  return `(ota ${command} --help lists its options)`;
}

/** The command tree for SPECS (by default all of them). */
export function buildProgram(io: CliIo, onSelect: (selected: Selected) => void, specs: readonly CommandSpec[] = commandSpecs): Command {
  const program = new Command('ota');
  configure(program, io);
  program
    .description('OTA Workbench: build, version, sign and push firmware over the air; watch devices update.')
    .usage('COMMAND [options]')
    .version(`ota-workbench ${productVersion}`, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help (ota COMMAND --help: its options)')
    // Options after a command's name belong to it: `ota sign --version 1.2.3` is sign's --version.
    .enablePositionalOptions()
    .addOption(toOption(verboseOption))
    .addHelpText('after', (context) => programFooter(context.error ? helpWidth(io, io.stderr) : helpWidth(io, io.stdout)));
  program.helpCommand(false);
  for (const spec of specs) addCommand(program, spec, io, onSelect);
  addHelpCommand(program, io);
  return program;
}

function configure(command: Command, io: CliIo): void {
  command
    .configureOutput({
      writeOut: (text) => void io.stdout.write(text),
      writeErr: (text) => void io.stderr.write(text),
      getOutHelpWidth: () => helpWidth(io, io.stdout),
      getErrHelpWidth: () => helpWidth(io, io.stderr),
      getOutHasColors: () => false,
      getErrHasColors: () => false,
    })
    .exitOverride();
}

/** The terminal's width; $COLUMNS when output is not a terminal; 80 otherwise. */
function helpWidth(io: CliIo, stream: NodeJS.WritableStream): number {
  const tty = stream as NodeJS.WriteStream;
  if (tty.isTTY && tty.columns > 0) return tty.columns;
  const columns = Number(io.env.COLUMNS);
  return Number.isInteger(columns) && columns >= 40 ? columns : 80;
}

function addCommand(program: Command, spec: CommandSpec, io: CliIo, onSelect: (selected: Selected) => void): void {
  let parent = program;
  for (const word of spec.path.slice(0, -1)) parent = subcommand(parent, word) ?? newCommand(parent, word, groupSummaries[word] ?? '', io);
  const last = spec.path[spec.path.length - 1]!;
  const command = subcommand(parent, last) ?? newCommand(parent, last, spec.summary, io);
  command.description(spec.summary);
  for (const arg of spec.args ?? []) command.argument(arg);
  const options = new Map<string, OptionSpec>();
  for (const optionSpec of [...spec.options, verboseOption]) {
    const option = toOption(optionSpec);
    options.set(option.attributeName(), optionSpec);
    command.addOption(option);
  }
  command.showHelpAfterError(helpPointer(spec.path.join(' ')));
  command.addHelpText('after', (context) => commandFooter(spec, context.error ? helpWidth(io, io.stderr) : helpWidth(io, io.stdout)));
  command.action((...actionArgs: unknown[]) => {
    const self = actionArgs[actionArgs.length - 1] as Command;
    const parsed = toParsedArgs(self, options, io.stderr);
    onSelect({ spec, parsed, verbose: parsed.flags.get('verbose') === true || program.opts().verbose === true });
  });
}

function subcommand(parent: Command, name: string): Command | undefined {
  return parent.commands.find((c) => c.name() === name);
}

function newCommand(parent: Command, name: string, summary: string, io: CliIo): Command {
  const command = parent.command(name).description(summary).helpOption('-h, --help', 'show this help');
  command.helpCommand(false);
  configure(command, io);
  return command;
}

function toOption(spec: OptionSpec): Option {
  const option = new Option(spec.flags, spec.description);
  if (spec.choices) option.choices(spec.choices);
  if (spec.repeatable) option.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
  if (spec.aliasOf) option.hideHelp();
  return option;
}

/** Commander's values by long option name, the way command code reads them (args.ts). */
function toParsedArgs(command: Command, specs: ReadonlyMap<string, OptionSpec>, stderr: NodeJS.WritableStream): ParsedArgs {
  const values = command.opts();
  const parsed: ParsedArgs = { positionals: [...command.args], flags: new Map(), lists: new Map() };
  for (const option of command.options) {
    const value: unknown = values[option.attributeName()];
    const spec = specs.get(option.attributeName());
    const long = option.long!.replace(/^--/, '');
    if (value === undefined) continue;
    // `--no-build` is read as build=false by commander, and as the flag no-build by our commands.
    if (option.negate) {
      if (value === false) parsed.flags.set(long, true);
      continue;
    }
    const name = spec?.aliasOf ?? long;
    if (spec?.aliasOf) {
      stderr.write(`warning: --${long} is the old spelling of --${spec.aliasOf} here and goes away in the next release; write --${spec.aliasOf}\n`);
      // The new spelling wins when both are given.
      if (parsed.flags.has(name) || values[attributeOf(command, name)] !== undefined) continue;
    }
    if (Array.isArray(value)) parsed.lists.set(name, value.map(String));
    else parsed.flags.set(name, typeof value === 'string' ? value : true);
  }
  return parsed;
}

function attributeOf(command: Command, long: string): string {
  return command.options.find((o) => o.long === `--${long}`)?.attributeName() ?? long;
}

/** `ota help`, `ota help push`, `ota help image info`: the same text as --help, on stdout, exit 0. */
function addHelpCommand(program: Command, io: CliIo): void {
  const help = program.command('help').argument('[COMMAND...]').description('show help for a command (the same as ota COMMAND --help)');
  configure(help, io);
  help.action((words: string[]) => {
    let target = program;
    for (const word of words) {
      const next = target.commands.find((c) => c.name() === word);
      if (!next) {
        const known = target.commands.map((c) => c.name()).join(', ');
        program.error(`error: unknown command '${words.join(' ')}' (commands: ${known})`, { exitCode: 2, code: 'commander.unknownCommand' });
      }
      target = next;
    }
    target.outputHelp();
  });
}
