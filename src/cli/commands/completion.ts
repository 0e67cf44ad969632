import type { CommandRun } from '../command';
import { usageError } from '../cliOutput';
import { commandSpecs } from '../commandTable';
import { completionScript, completionShells } from '../completion';
import type { CompletionShell } from '../completion';

export const completionCommand: CommandRun = async (ctx) => {
  const shell = ctx.parsed.positionals[0] ?? '';
  if (!(completionShells as readonly string[]).includes(shell)) return usageError(ctx, `no completion for shell '${shell}' (choose ${completionShells.join(' or ')})`);
  ctx.stdout.write(completionScript(shell as CompletionShell, commandSpecs));
  return 0;
};
