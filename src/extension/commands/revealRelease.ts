import * as vscode from 'vscode';
import { OtaError } from '../../core/errors';
import type { ExtensionServices } from '../context';
import { targetOf } from './commandTarget';

/** Shows a release made in the workspace in the Explorer (its signed manifest, next to the image). */
export async function revealRelease(_services: ExtensionServices, arg?: unknown): Promise<vscode.Uri | undefined> {
  const release = targetOf(arg)?.release;
  if (!release) {
    throw new OtaError(vscode.l10n.t('Reveal Release works on a release row of the OTA view'), { hint: vscode.l10n.t('expand Releases in the OTA view and use Reveal on one') });
  }
  await vscode.commands.executeCommand('revealInExplorer', release);
  return release;
}
