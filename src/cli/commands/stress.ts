import { relative } from 'node:path';
import type { CommandRun } from '../command';
import { stringFlag } from '../args';
import { usageError, withJsonErrors, writeJson } from '../cliOutput';
import { planContext, progressPrinter } from '../planRun';
import { deviceResults } from '../../core/plan/runReport';
import type { RunReport } from '../../core/plan/runReport';
import { runStress } from '../../providers/plan/stressRun';

/** `ota stress`: the seed's stress test, N cycles of the same image under the next label, with a report. */
export const stressCommand: CommandRun = async (ctx) => {
  const parsed = ctx.parsed;
  const json = parsed.flags.get('json') === true;
  if (parsed.positionals.length) return usageError(ctx, `unexpected argument '${parsed.positionals[0]}'`);
  const cyclesText = stringFlag(parsed, 'cycles') ?? '3';
  const cycles = Number(cyclesText);
  if (!/^\d+$/.test(cyclesText) || cycles < 1 || cycles > 1000) return usageError(ctx, `--cycles '${cyclesText}' must be a whole number from 1 to 1000`);
  return withJsonErrors(ctx, json, async () => {
    const { run, fleet } = await planContext(ctx, { cycles });
    try {
      const done = await runStress({ ...run, cycles, onProgress: progressPrinter(ctx, json), ...(fleet ? { beforeCycle: () => fleet.armFaults() } : {}) });
      if (!json && (ctx.stderr as NodeJS.WriteStream).isTTY) ctx.stderr.write('\n');
      if (json) writeJson(ctx, { ok: done.report.complete, dir: done.dir, report: done.report });
      else ctx.stdout.write(summary(done.report, relative(ctx.cwd, done.dir) || done.dir));
      return done.report.complete ? 0 : 1;
    } finally {
      await fleet?.stop();
    }
  });
};

export function summary(r: RunReport, dir: string): string {
  const lines = [`${r.kind} run ${r.id}: ${r.cycles.length} cycle${r.cycles.length === 1 ? '' : 's'} over ${r.devices.length} devices${r.complete ? '' : ` (stopped: ${r.stoppedBecause ?? 'cancelled'})`}`];
  for (const c of r.cycles) lines.push(`  cycle ${c.cycle} ${c.label}: ${deviceResults.filter((k) => c.counts[k]).map((k) => `${c.counts[k]} ${k}`).join(', ') || 'no devices'}`);
  const resumes = r.results.reduce((a, d) => a + d.resumes, 0);
  const twice = r.results.reduce((a, d) => a + d.bytesTwice, 0);
  lines.push(`  resumes ${resumes}, bytes fetched twice ${twice}`);
  if (r.kind === 'stress' && r.results.some((d) => d.runsExpected)) lines.push(`  devices run ${r.versions.embedded}, the version inside the image: expected for a relabelled image, not a failure`);
  lines.push(`report: ${dir}/report.html (also report.md, report.json)`);
  return lines.join('\n') + '\n';
}
