import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { CommandRun } from '../command';
import { withJsonErrors, writeJson } from '../cliOutput';
import { buildSystemNames } from '../../core/init/detect';
import { initWorkspace } from '../../core/init/writeStarter';
import { checkConfigSources } from '../../core/config/check';
import { formatDiagnostic } from '../../core/config/diagnostic';


export const initCommand: CommandRun = async (ctx) => {
  const parsed = ctx.parsed;
  const json = parsed.flags.get('json') === true;
  // The spec takes one optional DIR: commander has refused any extra argument already (exit 2).
  const folder = path.resolve(ctx.cwd, parsed.positionals[0] ?? '.');
  return withJsonErrors(ctx, json, async () => {
    const result = await initWorkspace(folder, { overwrite: parsed.flags.get('force') === true });
    // Check what was written, so a starter that does not validate is caught here, not later.
    const written = checkConfigSources({ file: result.file, text: await fs.readFile(result.file, 'utf8') });
    const shown = path.relative(ctx.cwd, result.file) || result.file;
    if (json) {
      writeJson(ctx, {
        ok: true,
        file: result.file,
        replaced: result.replaced,
        buildSystem: result.detection.system,
        evidence: result.detection.evidence,
        projectName: result.detection.projectName,
        diagnostics: written.diagnostics,
        gitignore: result.gitignore,
      });
      return 0;
    }
    const found = result.detection.evidence.length ? ` (found ${result.detection.evidence.join(', ')})` : '';
    ctx.stdout.write(`${result.replaced ? 'replaced' : 'wrote'} ${shown} for ${buildSystemNames[result.detection.system]}${found}\n`);
    if (result.gitignore.added) ctx.stdout.write(`added .ota/ (builds and releases) to ${path.relative(ctx.cwd, result.gitignore.file) || result.gitignore.file}\n`);
    for (const d of written.diagnostics.filter((x) => x.code !== 'placeholder')) ctx.stdout.write(`  ${formatDiagnostic({ ...d, file: shown })}\n`);
    const placeholders = [...new Set(written.diagnostics.filter((x) => x.code === 'placeholder').map((x) => /YOUR_[A-Z_]+/.exec(x.message)?.[0]))];
    if (placeholders.length) ctx.stdout.write(`next: replace ${placeholders.join(', ')} with your real values, then run \`ota config validate\`\n`);
    ctx.stdout.write('serial ports and a personal server port go in .vscode/ota.local.json (keep it out of git)\n');
    return 0;
  });
};
