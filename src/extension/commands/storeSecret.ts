import * as vscode from 'vscode';
import { loadWorkspaceConfig } from '../../core/config/loader';
import { parseSecretRef } from '../../core/config/secretRef';
import type { ExtensionServices } from '../context';

/** Every `${secret:NAME}` the workspace configs refer to, with the field that uses it. */
async function referencedSecrets(): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const visit = (value: unknown, path: string) => {
    if (typeof value === 'string') {
      const ref = parseSecretRef(value);
      if (ref?.kind === 'secret' && !found.has(ref.name)) found.set(ref.name, path);
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, `${path}[${i}]`));
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) visit(v, path ? `${path}.${k}` : k);
    }
  };
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    if (folder.uri.scheme !== 'file') continue;
    const loaded = await loadWorkspaceConfig(folder.uri.fsPath).catch(() => undefined);
    visit(loaded?.merged?.value, '');
  }
  return found;
}

/**
 * Stores a value for `${secret:NAME}` in VS Code SecretStorage, so tokens and keys never sit in
 * the workspace config. Offers the names the config refers to, showing which are still missing.
 */
export async function storeSecret(services: ExtensionServices, nameArg?: unknown): Promise<string | undefined> {
  let name = typeof nameArg === 'string' ? nameArg : undefined;
  if (!name) {
    const refs = await referencedSecrets();
    const items: (vscode.QuickPickItem & { secret?: string })[] = [];
    for (const [secret, field] of refs) {
      const stored = (await services.secrets.get(`config:${secret}`)) !== undefined;
      items.push({ label: secret, description: stored ? vscode.l10n.t('stored') : vscode.l10n.t('missing'), detail: vscode.l10n.t('used by {0}', field), secret });
    }
    items.push({ label: `$(add) ${vscode.l10n.t('Another name…')}`, secret: undefined });
    const picked = await vscode.window.showQuickPick(items, { placeHolder: vscode.l10n.t('Which {0} to store?', '${secret:NAME}') });
    if (!picked) return undefined;
    name =
      picked.secret ??
      (await vscode.window.showInputBox({
        prompt: vscode.l10n.t('Secret name, as written in {0}', '${secret:NAME}'),
        validateInput: (v) => (/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(v) ? undefined : vscode.l10n.t('letters, digits, _ . - (not starting with a digit)')),
      }));
    if (!name) return undefined;
  }
  const value = await vscode.window.showInputBox({
    prompt: vscode.l10n.t('Value for {0} (kept in VS Code Secret Storage, never in the workspace)', `\${secret:${name}}`),
    password: true,
    ignoreFocusOut: true,
  });
  if (value === undefined) return undefined;
  if (value === '') {
    await services.secrets.delete(`config:${name}`);
    services.log.info(`secret ${name} deleted`);
    void vscode.window.showInformationMessage(vscode.l10n.t('Deleted {0}.', `\${secret:${name}}`));
  } else {
    await services.secrets.store(`config:${name}`, value);
    services.log.info(`secret ${name} stored`);
    void vscode.window.showInformationMessage(vscode.l10n.t('Stored {0} in Secret Storage.', `\${secret:${name}}`));
  }
  return name;
}
