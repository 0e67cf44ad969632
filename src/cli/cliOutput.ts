import { terminalSafeJson } from '../core/text/controlChars';
import type { CliContext } from './command';
import { OtaError } from '../core/errors';

export function writeJson(ctx: CliContext, value: unknown): void {
  ctx.stdout.write(terminalSafeJson(JSON.stringify(value, null, 2)) + '\n');
}

/** A usage problem the parser cannot see (a value out of range, options that exclude each other): exit code 2. */
export function usageError(ctx: CliContext, problem: string): number {
  ctx.stderr.write(`error: ${problem}\n(ota ${ctx.command} --help lists its options)\n`);
  return 2;
}

/**
 * With --json, a failure is still JSON on stdout (CI parses it), with the same what/where/hint a
 * person sees; without --json it is rethrown for `main` to print.
 */
export async function withJsonErrors(ctx: CliContext, json: boolean, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    // Usage problems go to `main`, which prints them with the command's usage (exit 2).
    if (!json || !(err instanceof OtaError) || err.code === 'usage') throw err;
    writeJson(ctx, { ok: false, error: { message: err.message, where: err.where, hint: err.hint, code: err.code } });
    return 1;
  }
}
