import * as vscode from 'vscode';
import type { Logger } from '../../core/logger';

/**
 * `otaWorkbench.demo.autoStart` (set in the demo workspace's .vscode/settings.json by `npm start`):
 * run the demo as soon as the extension is up, so the person who opened the URL sees it play.
 */
export function autoStartDemo(log: Logger): void {
  if (!vscode.workspace.getConfiguration('otaWorkbench.demo').get<boolean>('autoStart', false)) return;
  log.info('otaWorkbench.demo.autoStart is on: running the demo');
  // After activation returns: the command goes through the registered handler like a palette run.
  setTimeout(() => void vscode.commands.executeCommand('ota.runDemo', 'update'), 0);
}
