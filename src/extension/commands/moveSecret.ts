import * as vscode from 'vscode';
import { configProblems, moveSecretFix, secretNameFor } from '../../core/checks/configFixes';
import { formatPath } from '../../core/config/diagnostic';
import { OtaError } from '../../core/errors';
import { checkFolderConfig } from '../configSources';
import type { ExtensionServices } from '../context';
import { toWorkspaceEdit } from '../inline/workspaceEdit';

const secretCodes = new Set(['literal-secret', 'inline-private-key']);

/**
 * The "Move to Secret Storage" quick fix: stores the literal credential at a config path under
 * `${secret:NAME}` and writes that reference in its place. The value is read from the buffer here,
 * stored, and never logged or shown. A name already holding another value gets a `-2`, `-3` suffix.
 */
export async function moveSecretToStorage(services: ExtensionServices, folderArg?: unknown, pathArg?: unknown): Promise<string | undefined> {
  if (typeof folderArg !== 'string' || !Array.isArray(pathArg)) return undefined;
  const path = pathArg as (string | number)[];
  const result = await checkFolderConfig(vscode.Uri.parse(folderArg));
  const problem = result && configProblems(result).find((p) => secretCodes.has(p.issue.code) && JSON.stringify(p.issue.path) === JSON.stringify(path));
  if (!result?.merged || !problem) {
    throw new OtaError(`${formatPath(path)} no longer holds a literal credential`, { hint: 'nothing was stored; run the quick fix again on the current text' });
  }
  const base = secretNameFor(result.merged.value, path);
  const first = moveSecretFix(result, path, base);
  if (!first?.storeSecret) return undefined;
  const value = first.storeSecret.value;
  let name = base;
  for (let n = 2; ; n++) {
    const existing = await services.secrets.get(`config:${name}`);
    if (existing === undefined || existing === value) break;
    name = `${base}-${n}`;
  }
  const fix = name === base ? first : moveSecretFix(result, path, name)!;
  await services.secrets.store(`config:${name}`, value);
  const texts = new Map(result.files.map((f) => [f.file, f.text]));
  if (!(await vscode.workspace.applyEdit(toWorkspaceEdit(fix.edits, (f) => texts.get(f))))) {
    throw new OtaError(`the value was stored as \${secret:${name}}, but the config could not be edited`, { hint: `replace the value at ${formatPath(path)} with "\${secret:${name}}" by hand` });
  }
  services.log.info(`moved the literal credential at ${formatPath(path)} to \${secret:${name}}`);
  void vscode.window.showInformationMessage(vscode.l10n.t('Stored in Secret Storage as {0}; save the config to drop the literal. If it was ever committed, revoke it.', `\${secret:${name}}`));
  return name;
}
