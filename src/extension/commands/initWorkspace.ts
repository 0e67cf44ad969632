import * as vscode from 'vscode';
import type { ExtensionServices } from '../context';
import { buildSystemNames } from '../../core/init/detect';
import { placeholderKey, placeholderPid } from '../../core/init/starter';
import { configExists, initWorkspace as writeStarter } from '../../core/init/writeStarter';

/**
 * "OTA: Initialize Workspace": detects the build system of a folder and writes a starter
 * `.vscode/ota.json`, then opens it. An existing config is replaced only after the user says so.
 * Takes an optional folder Uri (from the explorer context, or from tests).
 */
export async function initWorkspace(services: ExtensionServices, folderArg?: unknown): Promise<vscode.Uri | undefined> {
  const folder = folderArg instanceof vscode.Uri ? folderArg : await pickFolder();
  if (!folder) {
    void vscode.window.showInformationMessage('Open the firmware folder first, then run "OTA: Initialize Workspace" to write its .vscode/ota.json.');
    return undefined;
  }
  const target = vscode.Uri.joinPath(folder, '.vscode', 'ota.json');
  let overwrite = false;
  if (await configExists(folder.fsPath)) {
    const choice = await vscode.window.showWarningMessage(
      `${vscode.workspace.asRelativePath(target, true)} already exists. Replace it with a starter config? Your current file will be lost.`,
      { modal: true },
      'Replace',
      'Open Existing',
    );
    if (choice === 'Open Existing') {
      await vscode.window.showTextDocument(target);
      return target;
    }
    if (choice !== 'Replace') return undefined;
    overwrite = true;
  }
  const result = await writeStarter(folder.fsPath, { overwrite });
  services.log.info(`wrote ${result.file} for ${result.detection.system} (evidence: ${result.detection.evidence.join(', ') || 'none'})`);
  if (result.gitignore.added) services.log.info(`added .ota/ to ${result.gitignore.file}`);
  services.tree.refresh();
  await vscode.window.showTextDocument(target);
  const found = result.detection.evidence.length ? ` (found ${result.detection.evidence.join(', ')})` : '';
  void vscode.window.showInformationMessage(
    `Wrote .vscode/ota.json for ${buildSystemNames[result.detection.system]}${found}. Replace ${placeholderPid} and ${placeholderKey} with your product's values.`,
  );
  return target;
}

async function pickFolder(): Promise<vscode.Uri | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length <= 1) return folders[0]?.uri;
  const picked = await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Which folder gets an OTA config?' });
  return picked?.uri;
}
