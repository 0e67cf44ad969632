import * as vscode from 'vscode';
import { describeError } from '../core/errors';
import type { Logger } from '../core/logger';
import { findWorkspaceConfigs } from './workspaceConfigs';

/**
 * The one owner of the `ota.hasConfig` context key: whether an open folder has a `.vscode/ota.json`.
 * Kept current from activation on, whether or not the OTA view was ever opened: the command
 * palette's `when` clauses, the view's welcome content and the walkthrough's first step read it.
 */
export class ConfigPresence implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<boolean>();
  /** Fires with the new value each time the context key changes. */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private present: boolean | undefined;
  // One look at a time and in order, so a slow look cannot overwrite a newer answer.
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly log: Logger) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/.vscode/ota.json', false, true, false);
    const refresh = () => void this.refresh();
    this.disposables.push(watcher, watcher.onDidCreate(refresh), watcher.onDidDelete(refresh), vscode.workspace.onDidChangeWorkspaceFolders(refresh));
    refresh();
  }

  /** Looks at the folders again and updates the key if the answer changed. */
  refresh(): Promise<void> {
    this.queue = this.queue.then(
      async () => {
        const present = (await findWorkspaceConfigs()).length > 0;
        if (present === this.present) return;
        this.present = present;
        await vscode.commands.executeCommand('setContext', 'ota.hasConfig', present);
        this.changed.fire(present);
      },
    ).catch((err: unknown) => this.log.warn(`could not update ota.hasConfig: ${describeError(err)}`));
    return this.queue;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
