/**
 * Why a build failed, in one line a notification can carry: the shell's "not found" for a missing
 * toolchain, else the first compiler error, else the last thing the build printed. The full
 * output stays in the terminal and the log; this is only what the message quotes.
 */
export interface BuildFailure {
  /** The line quoted from the output, when one says why. */
  cause?: string;
  /** The build command (or a tool it runs) is not installed or not on PATH. */
  toolMissing: boolean;
  /** Compiler errors in gcc form (`file:line[:col]: error: …`) the problem matcher picks up. */
  compilerErrors: number;
}

const notFound = /(?:command not found|: not found|is not recognized as an internal or external command|No such file or directory)\s*$/i;
const compilerError = /^(?:.*?):\d+(?::\d+)?:\s+(?:fatal )?error:\s+/;
const anyError = /\berror\b/i;
const maxCauseChars = 240;

export function explainBuildFailure(output: string, exitCode: number): BuildFailure {
  const lines = output
    .split(/\r?\n/)
    .map((l) => stripAnsi(l).trim())
    .filter((l) => l.length > 0);
  const compilerErrors = lines.filter((l) => compilerError.test(l)).length;
  const missing = lines.find((l) => notFound.test(l));
  // 127 is the shell's "command not found"; the line itself names the tool.
  if (exitCode === 127 || (missing && compilerErrors === 0)) {
    const cause = missing ?? lines.at(-1);
    return { ...(cause ? { cause: clip(cause) } : {}), toolMissing: true, compilerErrors };
  }
  const cause = lines.find((l) => compilerError.test(l)) ?? [...lines].reverse().find((l) => anyError.test(l)) ?? lines.at(-1);
  return { ...(cause ? { cause: clip(cause) } : {}), toolMissing: false, compilerErrors };
}

/** A line without its terminal colour codes (compilers colour their messages on a terminal). */
export function stripAnsi(line: string): string {
  // eslint-disable-next-line no-control-regex
  return line.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
}

function clip(line: string): string {
  return line.length > maxCauseChars ? `${line.slice(0, maxCauseChars - 1)}…` : line;
}
