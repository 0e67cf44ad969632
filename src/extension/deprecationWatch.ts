import type * as vscode from 'vscode';
import type { Logger } from '../core/logger';

/**
 * Logs, as a warning in our own log, any deprecation warning Node raises from this extension's
 * code (the extension host's own stderr is out of a user's sight in most setups). The extension
 * host is shared: warnings from other extensions are not ours to report.
 */
export function watchOwnDeprecations(extensionPath: string, log: Logger): vscode.Disposable {
  const onWarning = (warning: Error & { code?: string }) => {
    if (warning.name !== 'DeprecationWarning' || !warning.stack?.includes(extensionPath)) return;
    log.warn(`Node deprecation ${warning.code ?? ''} raised by OTA Workbench: ${warning.message}`.replace(/\s+/g, ' '));
  };
  process.on('warning', onWarning);
  return { dispose: () => process.off('warning', onWarning) };
}
