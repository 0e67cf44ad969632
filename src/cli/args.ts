import { OtaError } from '../core/errors';

export interface ParsedArgs {
  positionals: string[];
  flags: Map<string, string | true>;
}

/**
 * Parses `--name value`, `--name=value`, `-k value` and bare `--flag`. `booleans` lists the flags
 * that take no value, so `--json FILE` is not read as `--json=FILE`.
 */
export function parseArgs(args: readonly string[], booleans: readonly string[] = []): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const body = arg.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq > 0 ? body.slice(0, eq) : body;
    if (eq > 0) {
      flags.set(name, body.slice(eq + 1));
    } else if (booleans.includes(name)) {
      flags.set(name, true);
    } else {
      const value = args[i + 1];
      if (value === undefined || (value.startsWith('-') && value !== '-')) {
        throw new OtaError(`option --${name} needs a value`, { hint: `write --${name} VALUE` });
      }
      flags.set(name, value);
      i++;
    }
  }
  return { positionals, flags };
}

export function stringFlag(parsed: ParsedArgs, name: string): string | undefined {
  const value = parsed.flags.get(name);
  return typeof value === 'string' ? value : undefined;
}
