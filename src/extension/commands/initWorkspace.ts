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
    void vscode.window.showInformationMessage(vscode.l10n.t('Open the firmware folder first, then run "OTA: Initialize Workspace" to write its .vscode/ota.json.'));
    return undefined;
  }
  const target = vscode.Uri.joinPath(folder, '.vscode', 'ota.json');
  let overwrite = false;
  if (await configExists(folder.fsPath)) {
    const replace = vscode.l10n.t('Replace');
    const openExisting = vscode.l10n.t('Open Existing');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('{0} already exists. Replace it with a starter config? Your current file will be lost.', vscode.workspace.asRelativePath(target, true)),
      { modal: true },
      replace,
      openExisting,
    );
    if (choice === openExisting) {
      await vscode.window.showTextDocument(target);
      return target;
    }
    if (choice !== replace) return undefined;
    overwrite = true;
  }
  const result = await writeStarter(folder.fsPath, { overwrite });
  services.log.info(`wrote ${result.file} for ${result.detection.system} (evidence: ${result.detection.evidence.join(', ') || 'none'})`);
  if (result.gitignore.added) services.log.info(`added .ota/ to ${result.gitignore.file}`);
  services.tree.refresh();
  await vscode.window.showTextDocument(target);
  const system = buildSystemNames[result.detection.system];
  void vscode.window.showInformationMessage(
    result.detection.evidence.length
      ? vscode.l10n.t("Wrote .vscode/ota.json for {0} (found {1}). Replace {2} and {3} with your product's values.", system, result.detection.evidence.join(', '), placeholderPid, placeholderKey)
      : vscode.l10n.t("Wrote .vscode/ota.json for {0}. Replace {1} and {2} with your product's values.", system, placeholderPid, placeholderKey),
  );
  return target;
}

async function pickFolder(): Promise<vscode.Uri | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length <= 1) return folders[0]?.uri;
  const picked = await vscode.window.showWorkspaceFolderPick({ placeHolder: vscode.l10n.t('Which folder gets an OTA config?') });
  return picked?.uri;
}
