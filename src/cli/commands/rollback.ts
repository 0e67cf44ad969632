import { createInterface } from 'node:readline/promises';
import { relative } from 'node:path';
import type { CliContext, CommandRun } from '../command';
import { stringFlag } from '../args';
import { usageError, withJsonErrors, writeJson } from '../cliOutput';
import { planContext, progressPrinter } from '../planRun';
import { summary } from './stress';
import { describeRollbackPrediction } from '../../core/plan/rollbackPrediction';
import type { RollbackPlan } from '../../providers/plan/rollbackRun';
import { runRollback } from '../../providers/plan/rollbackRun';

/** `ota rollback --to V`: predicts per device, asks (or --yes), releases V's image under the next label, reports outcome against prediction. */
export const rollbackCommand: CommandRun = async (ctx) => {
  const parsed = ctx.parsed;
  const json = parsed.flags.get('json') === true;
  if (parsed.positionals.length) return usageError(ctx, `unexpected argument '${parsed.positionals[0]}'`);
  const to = stringFlag(parsed, 'to');
  if (!to) return usageError(ctx, '--to VERSION is required: the release whose image goes out again');
  const yes = parsed.flags.get('yes') === true;
  const dryRun = parsed.flags.get('dry-run') === true;
  return withJsonErrors(ctx, json, async () => {
    const { run, fleet } = await planContext(ctx, { to, ...(dryRun ? { dryRun } : {}) });
    try {
      const done = await runRollback({ ...run, to, onProgress: progressPrinter(ctx, json), confirm: (plan) => confirm(ctx, plan, { yes, dryRun, json }) });
      if (json) writeJson(ctx, { ok: done.report.complete || dryRun, dir: done.dir, report: done.report });
      else {
        const rb = done.report.rollback;
        if (rb?.outcomes.length) {
          ctx.stdout.write('outcome against prediction:\n');
          for (const o of rb.outcomes) ctx.stdout.write(`  ${o.deviceId}: predicted ${o.predicted}, ${o.actual}${o.matches === undefined ? '' : o.matches ? ' (as predicted)' : ' (NOT as predicted)'}\n`);
        }
        ctx.stdout.write(summary(done.report, relative(ctx.cwd, done.dir) || done.dir));
      }
      return done.report.complete || dryRun ? 0 : 1;
    } finally {
      await fleet?.stop();
    }
  });
};

async function confirm(ctx: CliContext, plan: RollbackPlan, o: { yes: boolean; dryRun: boolean; json: boolean }): Promise<boolean> {
  const refused = plan.predictions.filter((p) => p.verdict === 'refused').length;
  const out = o.json ? ctx.stderr : ctx.stdout;
  out.write(`rollback to ${plan.to} (embedded ${plan.image.embeddedVersion}${plan.image.secureVersion !== undefined ? `, secure_version ${plan.image.secureVersion}` : ''}) as release ${plan.label}; per device:\n`);
  for (const p of plan.predictions) out.write(`  ${describeRollbackPrediction(p)}\n`);
  out.write(`${plan.predictions.length - refused} of ${plan.predictions.length} devices are predicted to install it${refused ? `, ${refused} to refuse it` : ''}.\n`);
  if (o.dryRun) return false;
  if (o.yes) return true;
  const input = process.stdin;
  if (!input.isTTY) {
    ctx.stderr.write('not confirmed: pass --yes to release and deploy without asking (stdin is not a terminal)\n');
    return false;
  }
  const rl = createInterface({ input, output: process.stderr });
  try {
    const answer = await rl.question(`Release ${plan.label} and deploy it? [y/N] `, { signal: ctx.signal });
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
