import * as vscode from 'vscode';
import { homedir } from 'node:os';
import { OtaError } from '../../core/errors';
import type { KeyKind } from '../../core/signing/keyKind';
import { readKeySource } from '../../core/signing/keySource';
import { isEncryptedPem, loadSigningKey, loadVerifyingKey } from '../../core/signing/loadKey';
import type { SigningKey, VerifyingKey } from '../../core/signing/loadKey';
import { testKeyName } from '../../core/signing/testKeys';
import type { ExtensionServices } from '../context';

/** Keys generated in the editor: the PEM is in SecretStorage, only this index is in globalState. */
export interface StoredKeyEntry {
  keyId: string;
  kind: KeyKind;
  createdAt: string;
}

const indexKey = 'ota.signingKeys';

export function storedKeys(services: ExtensionServices): StoredKeyEntry[] {
  return services.context.globalState.get<StoredKeyEntry[]>(indexKey, []);
}

export async function rememberKey(services: ExtensionServices, entry: StoredKeyEntry, pem: string): Promise<void> {
  await services.secrets.store(`signing-key:${entry.keyId}`, pem);
  await services.context.globalState.update(indexKey, [...storedKeys(services).filter((k) => k.keyId !== entry.keyId), entry]);
}

async function askPassphrase(label: string): Promise<string> {
  const passphrase = await vscode.window.showInputBox({ prompt: vscode.l10n.t('Passphrase for the encrypted key {0}', label), password: true, ignoreFocusOut: true });
  if (passphrase === undefined) throw new OtaError('signing cancelled: no passphrase given', { code: 'cancelled' });
  return passphrase;
}

export async function loadPem(label: string, pem: string): Promise<SigningKey> {
  return loadSigningKey({ label, pem }, isEncryptedPem(pem) ? await askPassphrase(label) : undefined);
}

/** Lets the user choose a key kept in SecretStorage, or a PEM file outside the workspace. Key IDs are shown. */
export async function pickSigningKey(services: ExtensionServices): Promise<SigningKey | undefined> {
  return pickKey(services, 'sign') as Promise<SigningKey | undefined>;
}

/** The same choice for checking a signature, where a public key file is enough. */
export async function pickVerifyingKey(services: ExtensionServices): Promise<VerifyingKey | undefined> {
  return pickKey(services, 'verify');
}

async function pickKey(services: ExtensionServices, purpose: 'sign' | 'verify'): Promise<SigningKey | VerifyingKey | undefined> {
  const items: (vscode.QuickPickItem & { keyId?: string })[] = storedKeys(services).map((k) => ({
    label: `$(key) ${k.kind} ${k.keyId.slice(0, 16)}…`,
    description: testKeyName(k.keyId) ? vscode.l10n.t('PUBLIC TEST KEY') : vscode.l10n.t('created {0}', k.createdAt.slice(0, 10)),
    detail: vscode.l10n.t('key ID {0}', k.keyId),
    keyId: k.keyId,
  }));
  items.push({ label: `$(file) ${vscode.l10n.t('PEM file…')}`, detail: purpose === 'sign' ? vscode.l10n.t('a private key file (keep it outside the workspace)') : vscode.l10n.t('a public or private key file') });
  const picked = await vscode.window.showQuickPick(items, { placeHolder: vscode.l10n.t('Signing key') });
  if (!picked) return undefined;
  if (picked.keyId) {
    const pem = await services.secrets.get(`signing-key:${picked.keyId}`);
    if (!pem) throw new OtaError(`key ${picked.keyId} is no longer in Secret Storage`, { hint: 'Generate or import the key again.', code: 'key-missing' });
    return loadPem(`Secret Storage key ${picked.keyId.slice(0, 16)}…`, pem);
  }
  // Keys must not live in the workspace (they would end up in git): the dialog starts in the home folder.
  const files = await vscode.window.showOpenDialog({
    canSelectMany: false,
    defaultUri: vscode.Uri.file(homedir()),
    title: vscode.l10n.t('Signing key (a PEM file outside the workspace)'),
    openLabel: vscode.l10n.t('Use this key'),
    filters: { [vscode.l10n.t('PEM keys')]: ['pem', 'key'], [vscode.l10n.t('All files')]: ['*'] },
  });
  if (!files?.[0]) return undefined;
  const source = await readKeySource(files[0].fsPath, process.env, '/');
  if (purpose === 'verify' && !isEncryptedPem(source.pem)) return loadVerifyingKey(source);
  return loadPem(files[0].fsPath, source.pem);
}
