import * as vscode from 'vscode';
import { OtaError } from '../../../core/errors';
import type { RolloutApi, RolloutState, RolloutStatus } from '../../../providers/provider';
import type { ExtensionServices } from '../../context';
import { targetOf } from '../commandTarget';
import { QuickSteps } from './quickSteps';
import { reportRolloutFailure, rolloutSummary, runRolloutOperation } from './rolloutOperation';
import { pickRolloutServer, serverQuestions } from './rolloutServer';

type Operation = 'start' | 'pause' | 'resume';

/** Per operation: the rollouts it applies to, and its words. */
const operations: Record<Operation, { from: readonly RolloutState[]; title: () => string; doing: () => string; none: () => string }> = {
  start: { from: ['ready', 'creating'], title: () => vscode.l10n.t('OTA: Start Rollout'), doing: () => vscode.l10n.t('Starting a rollout'), none: () => vscode.l10n.t('no rollout is ready to start') },
  pause: { from: ['running', 'starting'], title: () => vscode.l10n.t('OTA: Pause Rollout'), doing: () => vscode.l10n.t('Pausing a rollout'), none: () => vscode.l10n.t('no rollout is running') },
  resume: { from: ['paused'], title: () => vscode.l10n.t('OTA: Resume Rollout'), doing: () => vscode.l10n.t('Resuming a rollout'), none: () => vscode.l10n.t('no rollout is paused') },
};

export const startRollout = (services: ExtensionServices, arg?: unknown) => controlRollout(services, 'start', arg);
export const pauseRollout = (services: ExtensionServices, arg?: unknown) => controlRollout(services, 'pause', arg);
export const resumeRollout = (services: ExtensionServices, arg?: unknown) => controlRollout(services, 'resume', arg);

/**
 * Start (once its groups are ready), pause or resume a staged rollout: the one a rollout row
 * names, or one the user picks among the server's rollouts in the right state.
 */
async function controlRollout(services: ExtensionServices, op: Operation, arg: unknown): Promise<RolloutStatus | undefined> {
  const words = operations[op];
  const target = targetOf(arg);
  let serverName = target?.server;
  try {
    const { folders, asks } = await serverQuestions(target);
    const steps = new QuickSteps(words.title(), asks + (target?.rollout ? 0 : 1));
    const chosen = await pickRolloutServer(target, folders, steps, services.secrets);
    if (!chosen) return undefined;
    const { server, provider } = chosen;
    serverName = server.name;
    const id = target?.rollout ?? (await pickRollout(provider.rollouts, op, server.name, steps));
    if (id === undefined) return undefined;
    const status = await runRolloutOperation(vscode.l10n.t('{0} on {1}', words.doing(), server.name), (signal, say) => {
      if (op === 'start') {
        say(vscode.l10n.t('waiting for its groups to be built, then starting'));
        return provider.rollouts.start(id, { signal });
      }
      return op === 'pause' ? provider.rollouts.pause(id, signal) : provider.rollouts.resume(id, signal);
    });
    if (!status) return undefined;
    services.log.info(`rollout ${status.name} (id ${status.id}) on ${server.name}: ${op} → ${status.status}`);
    services.tree.refresh();
    void vscode.window.showInformationMessage(rolloutSummary(server.name, status));
    return status;
  } catch (err) {
    reportRolloutFailure(services, words.doing(), serverName, err);
    return undefined;
  }
}

async function pickRollout(rollouts: RolloutApi, op: Operation, server: string, steps: QuickSteps): Promise<string | undefined> {
  const words = operations[op];
  const list = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Reading rollouts on {0}', server) }, () => rollouts.list());
  const candidates = list.filter((r) => words.from.includes(r.state));
  if (!candidates.length) {
    throw new OtaError(vscode.l10n.t('on server "{0}" {1} ({2} rollout(s) in all)', server, words.none(), list.length), {
      hint: op === 'start' ? vscode.l10n.t('create one with "OTA: Create Rollout"') : vscode.l10n.t('see the rollouts under the server in the OTA view'),
    });
  }
  return steps.pick(
    candidates.map((r) => ({ label: r.name, description: r.status, detail: vscode.l10n.t('{0} device(s)', r.totalTargets), value: r.id })),
    vscode.l10n.t('Rollout'),
  );
}
