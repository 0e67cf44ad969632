import * as vscode from 'vscode';
import { configFixes, configProblems } from '../../core/checks/configFixes';
import { checkFolderConfig, configFolder } from '../configSources';
import { toRange, toWorkspaceEdit } from './workspaceEdit';

/** The internal command that stores a literal credential in Secret Storage and writes the reference. */
export const moveSecretCommand = 'ota.moveSecretToStorage';

/**
 * Quick fixes for `.vscode/ota.json` / `ota.local.json`, computed by the core from the same checks
 * that produce the diagnostics, over the current editor buffers.
 */
export class ConfigCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  async provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    const folder = configFolder(document.uri);
    const result = folder ? await checkFolderConfig(folder) : undefined;
    if (!folder || !result) return [];
    const file = document.uri.toString();
    const texts = new Map(result.files.map((f) => [f.file, f.text]));
    const actions: vscode.CodeAction[] = [];
    for (const problem of configProblems(result)) {
      const d = problem.diagnostic;
      const at = toRange(d);
      if (d.file !== file || !at.intersection(range)) continue;
      const answered = context.diagnostics.filter((x) => x.source === 'OTA' && x.code === d.code && x.range.isEqual(at));
      for (const fix of configFixes(result, problem)) {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = answered;
        action.isPreferred = fix.preferred === true;
        // The value is read again by the command, so it never travels in the action itself.
        if (fix.storeSecret) action.command = { command: moveSecretCommand, title: fix.title, arguments: [folder.toString(), problem.issue.path] };
        else action.edit = toWorkspaceEdit(fix.edits, (f) => texts.get(f));
        actions.push(action);
      }
    }
    return actions;
  }
}
