import * as vscode from 'vscode';
import { describeError } from '../../../core/errors';
import type { RolloutStatus } from '../../../providers/provider';
import type { ExtensionServices } from '../../context';

/**
 * Runs a rollout request under a cancellable notification; undefined when the user cancelled
 * (the request is aborted and nothing more is said). `say` puts a step in the notification.
 */
export async function runRolloutOperation<T>(title: string, body: (signal: AbortSignal, say: (message: string) => void) => Promise<T>): Promise<T | undefined> {
  const abort = new AbortController();
  try {
    return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
      token.onCancellationRequested(() => abort.abort());
      return body(abort.signal, (message) => progress.report({ message }));
    });
  } catch (err) {
    if (abort.signal.aborted) return undefined;
    throw err;
  }
}

/** One line for a person: the rollout, its state, how many devices in how many groups. */
export function rolloutSummary(server: string, status: RolloutStatus): string {
  const groups = status.groups.length ? vscode.l10n.t(' in {0} group(s)', status.groups.length) : '';
  return vscode.l10n.t('Rollout "{0}" on {1} is {2}: {3} device(s){4}.', status.name, server, status.status, status.totalTargets, groups);
}

/** The one message a failed rollout command shows (what, where, why and what to do), also logged. */
export function reportRolloutFailure(services: ExtensionServices, what: string, server: string | undefined, err: unknown): void {
  const why = describeError(err);
  services.log.error(`${what}${server ? ` on ${server}` : ''} failed: ${why}`);
  void vscode.window.showErrorMessage(server ? vscode.l10n.t('{0} on server "{1}" failed: {2}', what, server, why) : vscode.l10n.t('{0} failed: {1}', what, why));
}
