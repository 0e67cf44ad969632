import * as path from 'node:path';
import * as vscode from 'vscode';
import { OtaError } from '../../core/errors';
import type { ExtensionServices } from '../context';
import type { DemoHandle } from '../demo/demoRunner';
import { copyDemoSetup as copySetup } from '../demo/demoSetup';
import { withCancellableProgress } from '../firmware/cancellableProgress';

/** "OTA: Run Demo": progress in a notification, cancellable while it sets up; the demo then runs on. */
export function runDemo(services: ExtensionServices): Thenable<DemoHandle> {
  return withCancellableProgress(vscode.l10n.t('OTA demo'), (signal, onProgress) => services.demo.start(onProgress, signal));
}

export async function stopDemo(services: ExtensionServices): Promise<boolean> {
  const stopped = await services.demo.stop();
  void vscode.window.showInformationMessage(
    stopped ? vscode.l10n.t('Stopped the OTA demo: its simulated devices are off (the local server keeps running).') : vscode.l10n.t('No demo is running.'),
  );
  return stopped;
}

/**
 * "OTA: Copy the Demo Setup into This Workspace": the demo's config and image, for someone who
 * wants to try the real commands (Create Release, Push…) on them. The only demo step that writes
 * into a workspace, and only when asked.
 */
export async function copyDemoSetup(services: ExtensionServices, target?: unknown): Promise<string[] | undefined> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  const folder =
    target instanceof vscode.Uri
      ? target.fsPath
      : folders.length <= 1
        ? folders[0]?.uri.fsPath
        : (await vscode.window.showWorkspaceFolderPick({ placeHolder: vscode.l10n.t('Copy the demo setup into which folder?') }))?.uri.fsPath;
  if (!folder) {
    if (folders.length === 0) throw new OtaError('no folder is open to copy the demo setup into', { hint: 'open a folder (File > Open Folder…), then run this command again' });
    return undefined;
  }
  const written = await copySetup(path.join(services.demo.ownStorage, 'setup'), folder);
  services.log.info(`demo setup copied into ${folder}: ${written.join(', ')}`);
  const open = vscode.l10n.t('Open Config');
  const choice = await vscode.window.showInformationMessage(vscode.l10n.t('Copied the demo setup into {0}: {1}.', path.basename(folder), written.join(', ')), open);
  if (choice === open) await vscode.window.showTextDocument(vscode.Uri.file(path.join(folder, '.vscode', 'ota.json')));
  return written;
}
