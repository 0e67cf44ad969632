import * as path from 'node:path';
import type { CommandRun } from '../command';
import { withJsonErrors, writeJson } from '../cliOutput';
import { checkArtifacts } from '../../core/config/artifacts';
import type { ConfigDiagnostic } from '../../core/config/diagnostic';
import { formatDiagnostic, hasErrors } from '../../core/config/diagnostic';
import { loadWorkspaceConfig } from '../../core/config/loader';


export const configValidateCommand: CommandRun = async (ctx) => {
  const parsed = ctx.parsed;
  const json = parsed.flags.get('json') === true;
  // The spec takes one optional DIR: commander has refused any extra argument already (exit 2).
  const folder = path.resolve(ctx.cwd, parsed.positionals[0] ?? '.');
  return withJsonErrors(ctx, json, async () => {
    const loaded = await loadWorkspaceConfig(folder);
    const diagnostics: ConfigDiagnostic[] = [...loaded.diagnostics];
    if (parsed.flags.get('artifacts') === true) diagnostics.push(...(await checkArtifacts(loaded, folder, { signal: ctx.signal })));
    const ok = !hasErrors(diagnostics);
    const files = [loaded.sharedFile, ...(loaded.localFile ? [loaded.localFile] : [])];
    if (json) {
      writeJson(ctx, { ok, folder, files, diagnostics });
      return ok ? 0 : 1;
    }
    // Paths relative to the working directory, so terminals and problem matchers can open them.
    const shown = (file: string) => {
      const rel = path.relative(ctx.cwd, file);
      return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
    };
    // Diagnostics go to stderr, each with its severity; the summary is the result (stdout).
    for (const d of diagnostics) ctx.stderr.write(`${formatDiagnostic({ ...d, file: shown(d.file) })}\n`);
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    const warnings = diagnostics.length - errors;
    const summary = `${files.map(shown).join(' + ')}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
    ctx.stdout.write(`${ok ? 'ok: ' : ''}${summary}\n`);
    return ok ? 0 : 1;
  });
};
