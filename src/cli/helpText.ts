import type { CommandSpec } from './command';
import { environmentVariables } from './options';

/** Exit codes, the same for every command (also in docs/cli.md). */
export const exitCodes: readonly (readonly [number, string])[] = [
  [0, 'done (and every check passed)'],
  [1, 'failed: the operation failed or a check found a problem (what and where on stderr, or in the --json result)'],
  [2, 'usage: unknown command or option, a missing or invalid value (nothing was done)'],
  [70, 'internal error: a bug in ota (run again with --verbose and report the stack trace)'],
];

/** Words of TEXT in lines of at most WIDTH columns (a longer word gets a line of its own). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return line ? [...lines, line] : lines;
}

/** A long line wrapped, its continuation lines indented like it plus two. */
function indentedWrap(line: string, width: number): string {
  if (line.length <= width) return line;
  const indent = /^ */.exec(line)![0].length;
  return wrap(line, width - indent - 2).map((l, i) => `${' '.repeat(i === 0 ? indent : indent + 2)}${l}`).join('\n');
}

/** Two columns like commander's own option list, the second wrapped under itself. */
function table(rows: readonly (readonly [string, string])[], width: number): string {
  const first = Math.max(...rows.map(([name]) => name.length));
  const indent = 2 + first + 2;
  return rows
    .map(([name, text]) => wrap(text, Math.max(20, width - indent)).map((l, i) => (i === 0 ? `  ${name.padEnd(first)}  ${l}` : `${' '.repeat(indent)}${l}`)).join('\n'))
    .join('\n');
}

/** After the command list of `ota --help`. */
export function programFooter(width: number): string {
  return [
    '',
    'Run ota help COMMAND (or ota COMMAND --help) for its options.',
    '',
    'Environment:',
    table(Object.entries(environmentVariables), width),
    '',
    'Exit codes:',
    table(exitCodes.map(([code, text]) => [String(code).padStart(2), text]), width),
  ].join('\n');
}

/** After one command's options: its notes, the environment it reads, the exit codes in short. */
export function commandFooter(spec: CommandSpec, width: number): string {
  const parts: string[] = [];
  if (spec.notes) parts.push('', ...spec.notes.split('\n').map((l) => indentedWrap(l, width)));
  if (spec.env?.length) parts.push('', 'Environment:', table(spec.env.map((name) => [name, environmentVariables[name] ?? '']), width));
  parts.push('', 'Exit codes: 0 done, 1 failed, 2 usage (ota --help says more).');
  return parts.join('\n');
}
