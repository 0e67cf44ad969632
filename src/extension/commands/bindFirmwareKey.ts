import * as vscode from 'vscode';
import { bindKeyEdits } from '../../core/checks/configEdits';
import { OtaError } from '../../core/errors';
import { OtaProvider } from '../../providers/ota/otaProvider';
import { checkFolderConfig } from '../configSources';
import type { ExtensionServices } from '../context';
import { toWorkspaceEdit } from '../inline/workspaceEdit';
import type { TreeNode } from '../tree/treeNode';
import { pickFolder } from './folderStep';
import { targetOf } from './commandTarget';

export interface BindResult {
  pid: string;
  firmwareKey: string;
  /** The config was edited (false: the key was bound there already). */
  edited: boolean;
  /** The server the row belongs to was told as well, so the device's next poll is offered the update. */
  boundOnServer?: string;
}

/**
 * Binds a firmware key to a PID — the seed's fix for a fleet shipped with an old key: in
 * `.vscode/ota.json` (a WorkspaceEdit touching only that list, saved) and, from a why-not row, on
 * that row's server too. From the palette it asks for the folder, the PID and the key.
 */
export async function bindFirmwareKey(services: ExtensionServices, arg?: unknown): Promise<BindResult | undefined> {
  const target = targetOf(arg);
  const fromRow = (arg as TreeNode | undefined)?.bind;
  const folder = target?.folder ?? (await pickFolder(vscode.l10n.t('Bind Firmware Key to PID'), 1, 3));
  if (!folder) return undefined;
  const check = await checkFolderConfig(folder);
  if (!check?.config) {
    throw new OtaError(vscode.l10n.t('the OTA config of {0} has errors or is missing', folder.fsPath), { hint: vscode.l10n.t('fix .vscode/ota.json (see Problems), then bind the key again') });
  }
  const config = check.config;
  let pid = fromRow?.pid;
  let key = fromRow?.firmwareKey;
  if (!pid) {
    const picked = await vscode.window.showQuickPick(
      config.products.map((p) => ({ label: p.pid, description: p.name, detail: vscode.l10n.t('bound: {0}', p.firmwareKeys.join(', ')) })),
      { title: vscode.l10n.t('Bind Firmware Key to PID (2/3)'), placeHolder: vscode.l10n.t('The product (PID) devices with the key belong to') },
    );
    if (!picked) return undefined;
    pid = picked.label;
  }
  if (!key) {
    key = (await vscode.window.showInputBox({
      title: vscode.l10n.t('Bind Firmware Key to PID (3/3)'),
      prompt: vscode.l10n.t('The firmware key the devices report (fw_key)'),
      validateInput: (v) => (v.trim() === '' ? vscode.l10n.t('a firmware key cannot be empty') : undefined),
    }))?.trim();
    if (!key) return undefined;
  }
  const product = config.products.find((p) => p.pid === pid);
  if (!product) {
    throw new OtaError(vscode.l10n.t('.vscode/ota.json has no product {0}', pid), { where: folder.fsPath, hint: vscode.l10n.t('add the product to "products" (or deploy to the PID the device reports)') });
  }
  const result: BindResult = { pid, firmwareKey: key, edited: false };
  if (!product.firmwareKeys.includes(key)) {
    const edits = bindKeyEdits(check, pid, key);
    if (!edits) throw new OtaError(vscode.l10n.t('cannot find where product {0} is written', pid), { hint: vscode.l10n.t('add "{0}" to its firmwareKeys by hand', key) });
    const texts = new Map(check.files.map((f) => [f.file, f.text]));
    if (!(await vscode.workspace.applyEdit(toWorkspaceEdit(edits, (f) => texts.get(f))))) {
      throw new OtaError(vscode.l10n.t('the config could not be edited'), { hint: vscode.l10n.t('add "{0}" to the firmwareKeys of {1} by hand', key, pid) });
    }
    for (const file of new Set(edits.map((e) => e.file))) {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === vscode.Uri.parse(file).toString());
      await doc?.save();
    }
    result.edited = true;
  }
  if (target?.server) {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Bound {0} to {1} in the config. Restricted Mode: server {2} was not told (that would send your stored credentials to a server this workspace names).', key, pid, target.server));
      services.tree.refresh();
      return result;
    }
    const provider = await services.tree.providerFor(folder, target.server);
    if (provider instanceof OtaProvider) {
      await provider.client.bindKeys(pid, [key]);
      result.boundOnServer = target.server;
    }
  }
  services.log.info(`bound firmware key ${key} to PID ${pid}${result.edited ? ' in .vscode/ota.json' : ' (already in the config)'}${result.boundOnServer ? ` and on server ${result.boundOnServer}` : ''}`);
  services.tree.refresh();
  void vscode.window.showInformationMessage(
    result.boundOnServer
      ? vscode.l10n.t('Bound {0} to PID {1} in .vscode/ota.json and on {2}: the device is offered the update at its next poll.', key, pid, result.boundOnServer)
      : vscode.l10n.t('Bound {0} to PID {1} in .vscode/ota.json. Deploy again so servers see it.', key, pid),
  );
  return result;
}
