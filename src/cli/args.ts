/**
 * What the parser (commander, see program.ts) read from the command line, keyed by each option's
 * long name without dashes (`signing-key`, `fw-key`, `no-build`), so command code reads the same
 * names a user types.
 */
export interface ParsedArgs {
  positionals: string[];
  /** Options that take a value map to it; flags without a value map to true. */
  flags: Map<string, string | true>;
  /** Options that may be given more than once (`--fault A --fault B`), in command-line order. */
  lists: Map<string, string[]>;
}

export function stringFlag(parsed: ParsedArgs, name: string): string | undefined {
  const value = parsed.flags.get(name);
  return typeof value === 'string' ? value : undefined;
}

export function booleanFlag(parsed: ParsedArgs, name: string): boolean {
  return parsed.flags.get(name) === true;
}

export function listFlag(parsed: ParsedArgs, name: string): string[] {
  return parsed.lists.get(name) ?? [];
}
