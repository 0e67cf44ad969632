import * as vscode from 'vscode';
import type { ExtensionServices } from '../context';
import { productVersion } from '../../core/product';

export async function showVersion(services: ExtensionServices): Promise<string> {
  const text = `OTA Workbench ${productVersion} on VS Code ${vscode.version}`;
  services.log.info(text);
  void vscode.window.showInformationMessage(vscode.l10n.t('OTA Workbench {0} on VS Code {1}', productVersion, vscode.version));
  return text;
}
