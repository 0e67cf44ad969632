import * as path from 'node:path';
import type { CommandRun } from '../command';
import { withJsonErrors, writeJson } from '../cliOutput';
import { formatSourceProblem } from '../../core/checks/sourceCheck';
import { checkWorkspaceSources } from '../../core/checks/workspaceSourceCheck';


export const checkCommand: CommandRun = async (ctx) => {
  const parsed = ctx.parsed;
  const json = parsed.flags.get('json') === true;
  // The spec takes one optional DIR: commander has refused any extra argument already (exit 2).
  const folder = path.resolve(ctx.cwd, parsed.positionals[0] ?? '.');
  return withJsonErrors(ctx, json, async () => {
    const result = await checkWorkspaceSources(folder, { signal: ctx.signal });
    const ok = !result.problems.some((p) => p.severity === 'error');
    // Paths relative to the working directory, so terminals and problem matchers can open them.
    const shown = (file: string) => {
      const rel = path.relative(ctx.cwd, file);
      return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
    };
    if (json) {
      writeJson(ctx, {
        ok,
        folder,
        config: result.loaded.sharedFile,
        files: result.files,
        declarations: result.declarations.map((d) => ({ file: d.file, line: d.line, column: d.column, field: d.field, name: d.name, value: d.value })),
        problems: result.problems.map((p) => ({
          file: p.declaration.file,
          line: p.declaration.line,
          column: p.declaration.column,
          endLine: p.declaration.endLine,
          endColumn: p.declaration.endColumn,
          severity: p.severity,
          code: p.code,
          message: p.message,
          fixes: p.fixes.map((f) => f.title),
        })),
      });
      return ok ? 0 : 1;
    }
    // Problems are diagnostics (stderr, each with its severity); the summary is the result (stdout).
    for (const p of result.problems) ctx.stderr.write(`${formatSourceProblem(p, shown(p.declaration.file))}\n`);
    const n = result.problems.length;
    const summary = `${result.declarations.length} declaration${result.declarations.length === 1 ? '' : 's'} in ${result.files} source file${result.files === 1 ? '' : 's'} checked against ${shown(result.loaded.sharedFile)}: ${n} problem${n === 1 ? '' : 's'}`;
    ctx.stdout.write(`${ok ? 'ok: ' : ''}${summary}\n`);
    return ok ? 0 : 1;
  });
};
