import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import type { FinishedRun } from '../../providers/plan/stressRun';
import { runStress } from '../../providers/plan/stressRun';
import type { ExtensionServices } from '../context';
import { withCancellableProgress } from '../firmware/cancellableProgress';
import { chooseFleet, choosePlanSetup, planRunContext } from './planSetup';
import { showReport } from './reportPanel';

/**
 * "OTA: Run Stress Test…": `ota stress` from the editor. Progress in a cancellable notification;
 * cancelling stops after writing the report of what finished; the report opens at the end.
 */
export async function runStressTest(services: ExtensionServices, arg?: unknown): Promise<FinishedRun | undefined> {
  const title = vscode.l10n.t('Stress test');
  const setup = await choosePlanSetup(services, arg, title);
  if (!setup) return undefined;
  const fleet = await chooseFleet(title, setup.provider);
  if (!fleet) return undefined;
  const cyclesText = await vscode.window.showInputBox({ title, prompt: vscode.l10n.t('How many cycles (releases in a row)?'), value: '3', validateInput: (v) => (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 1000 ? undefined : vscode.l10n.t('a whole number from 1 to 1000')) });
  if (!cyclesText) return undefined;
  const cycles = Number(cyclesText);
  try {
    const done = await withCancellableProgress(vscode.l10n.t('Stress test of {0} on {1}', setup.channel.name, setup.server.name), async (signal, onProgress) => {
      onProgress({ message: vscode.l10n.t('starting') });
      const { run, sims } = await planRunContext(services, setup, fleet, { cycles }, signal);
      try {
        let last = 0;
        return await runStress({
          ...run,
          cycles,
          ...(sims ? { beforeCycle: () => sims.armFaults() } : {}),
          onProgress: (p) => {
            // Whole cycles plus the share of devices done in this one, as one bar.
            const at = p.total ? (p.cycle - 1 + p.done / p.total) / p.cycles : (p.cycle - 1) / p.cycles;
            onProgress({ message: p.message, done: Math.max(last, at), total: 1 });
            last = Math.max(last, at);
          },
        });
      } finally {
        await sims?.stop();
      }
    });
    services.log.info(`stress run ${done.report.id}: ${done.dir}${done.report.complete ? '' : ` (stopped: ${done.report.stoppedBecause ?? ''})`}`);
    await showReport(services, done.dir);
    return done;
  } catch (err) {
    services.log.error(`stress test failed: ${describeError(err)}`);
    void vscode.window.showErrorMessage(vscode.l10n.t('Stress test failed: {0}', describeError(err)));
    return undefined;
  }
}
