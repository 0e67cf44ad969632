import * as vscode from 'vscode';
import { sharedConfigPath } from '../../core/config/paths';
import { OtaError, describeError } from '../../core/errors';
import type { ExtensionServices } from '../context';

/** Error codes whose fix is in `.vscode/ota.json`: the message offers to open it. */
const configCodes = new Set(['invalid-config', 'no-config', 'build-missing', 'artifact-missing', 'version-missing', 'version-source-image', 'release-exists']);

export interface FailureOptions {
  /** The workspace folder whose config "Open Config" opens. */
  folder?: string;
  /** Offer "Open Config" even when the error's code does not say the config is at fault. */
  config?: boolean;
  /** More buttons, each with what it does. */
  actions?: { title: string; run: () => unknown }[];
}

/**
 * One message for a failed step: what failed and what to do (the error's message and hint), with
 * Show Log, and Open Config where the fix is in the config. The full story goes to the log.
 */
export function reportFailure(services: ExtensionServices, what: string, err: unknown, options: FailureOptions = {}): void {
  const text = describeError(err).replace(/\n+/g, ' ');
  services.log.error(`${what}: ${describeError(err)}`);
  if (err instanceof OtaError && err.code === 'cancelled') {
    void vscode.window.showInformationMessage(vscode.l10n.t('{0}: cancelled.', what));
    return;
  }
  const showLog = vscode.l10n.t('Show Log');
  const openConfig = vscode.l10n.t('Open Config');
  const wantsConfig = options.folder !== undefined && (options.config === true || (err instanceof OtaError && configCodes.has(err.code ?? '')));
  const extra = options.actions ?? [];
  const buttons = [...extra.map((a) => a.title), ...(wantsConfig ? [openConfig] : []), showLog];
  // Not awaited: the command ends now; the buttons act whenever the user gets to them.
  void vscode.window.showErrorMessage(`${what}: ${text}`, ...buttons).then(async (choice) => {
    if (choice === showLog) services.log.show(true);
    else if (choice === openConfig && options.folder) await vscode.window.showTextDocument(vscode.Uri.file(sharedConfigPath(options.folder)));
    else await extra.find((a) => a.title === choice)?.run();
  });
}

/** True when the error means the user stopped the step (Escape, Cancel on a progress notification). */
export function isCancellation(err: unknown, signal?: AbortSignal): boolean {
  return signal?.aborted === true || (err instanceof OtaError && err.code === 'cancelled') || (err instanceof Error && err.name === 'AbortError');
}
