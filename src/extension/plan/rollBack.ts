import { join } from 'node:path';
import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import { channelReleaseDir, listReleases } from '../../core/release/releaseStore';
import type { RollbackPlan } from '../../providers/plan/rollbackRun';
import { runRollback } from '../../providers/plan/rollbackRun';
import type { FinishedRun } from '../../providers/plan/stressRun';
import type { ExtensionServices } from '../context';
import { withCancellableProgress } from '../firmware/cancellableProgress';
import { chooseFleet, choosePlanSetup, planRunContext } from './planSetup';
import { showReport } from './reportPanel';

/**
 * "OTA: Roll Back…": `ota rollback` from the editor. The per-device prediction is shown in a modal
 * before anything is released; the report (outcome against prediction) opens at the end.
 */
export async function rollBack(services: ExtensionServices, arg?: unknown): Promise<FinishedRun | undefined> {
  const title = vscode.l10n.t('Roll back');
  const setup = await choosePlanSetup(services, arg, title);
  if (!setup) return undefined;
  const releases = await listReleases(channelReleaseDir(join(setup.folder, '.ota', 'releases'), setup.channel.pid, setup.channel.name));
  const to = await vscode.window.showQuickPick(
    releases.slice(0, -1).reverse().map((r) => ({ label: r.manifest.label, description: vscode.l10n.t('embedded {0}', r.manifest.embeddedVersion), detail: r.manifest.secureVersion !== undefined ? vscode.l10n.t('secure_version {0}', r.manifest.secureVersion) : undefined, to: r.manifest.label })),
    { title, placeHolder: vscode.l10n.t('Roll back to which release?') },
  );
  if (!to) {
    if (releases.length < 2) void vscode.window.showInformationMessage(vscode.l10n.t('Channel {0} needs two releases to roll back from one to the other.', setup.channel.name));
    return undefined;
  }
  const fleet = await chooseFleet(title, setup.provider);
  if (!fleet) return undefined;
  try {
    const done = await withCancellableProgress(vscode.l10n.t('Rollback of {0} to {1}', setup.channel.name, to.to), async (signal, onProgress) => {
      const { run, sims } = await planRunContext(services, setup, fleet, { to: to.to }, signal);
      try {
        return await runRollback({ ...run, to: to.to, confirm: (plan) => confirm(plan), onProgress: (p) => onProgress({ message: p.message, ...(p.total ? { done: p.done, total: p.total } : {}) }) });
      } finally {
        await sims?.stop();
      }
    });
    await showReport(services, done.dir);
    return done;
  } catch (err) {
    services.log.error(`rollback failed: ${describeError(err)}`);
    void vscode.window.showErrorMessage(vscode.l10n.t('Rollback failed: {0}', describeError(err)));
    return undefined;
  }
}

async function confirm(plan: RollbackPlan): Promise<boolean> {
  const refused = plan.predictions.filter((p) => p.verdict === 'refused');
  const lines = plan.predictions.map((p) => `${p.deviceId}: ${p.verdict} — ${[...p.rules.filter((r) => !r.accepts).map((r) => r.reason), ...p.unknowns].join('; ') || p.dashboard}`);
  const go = vscode.l10n.t('Release {0} and Deploy', plan.label);
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t('Roll back to {0} as release {1}: {2} of {3} devices are predicted to refuse it.', plan.to, plan.label, refused.length, plan.predictions.length),
    { modal: true, detail: lines.slice(0, 30).join('\n') + (lines.length > 30 ? `\n… ${lines.length - 30}` : '') },
    go,
  );
  return answer === go;
}
