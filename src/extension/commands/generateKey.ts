import * as vscode from 'vscode';
import { writeFile } from 'node:fs/promises';
import { generateSigningKey } from '../../core/signing/generateKey';
import type { GeneratedKey } from '../../core/signing/generateKey';
import { keyKinds } from '../../core/signing/keyKind';
import type { ExtensionServices } from '../context';
import { rememberKey } from '../firmware/signingKeyStore';

/** Makes a signing key and keeps its private half in SecretStorage; the public half can be saved for the bootloader build. */
export async function generateKey(services: ExtensionServices): Promise<Pick<GeneratedKey, 'kind' | 'keyId'> | undefined> {
  const kind = await vscode.window.showQuickPick(
    keyKinds.map((k) => ({ label: k, description: k === 'ed25519' ? vscode.l10n.t('recommended: small, fast, deterministic') : '' })),
    { placeHolder: vscode.l10n.t('Key type (MCUboot must be built for the same type)') },
  );
  if (!kind) return undefined;
  const key = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Generating a {0} key…', kind.label) }, () => generateSigningKey(kind.label as GeneratedKey['kind']));
  await rememberKey(services, { keyId: key.keyId, kind: key.kind, createdAt: new Date().toISOString() }, key.privatePem);
  services.log.info(`generated ${key.kind} signing key ${key.keyId} (private key in Secret Storage)`);
  const choice = await vscode.window.showInformationMessage(vscode.l10n.t('Generated {0} key {1}… and stored it in Secret Storage.', key.kind, key.keyId.slice(0, 16)), vscode.l10n.t('Save Public Key…'));
  if (choice) {
    const target = await vscode.window.showSaveDialog({ saveLabel: vscode.l10n.t('Save public key'), filters: { PEM: ['pem'] } });
    if (target) await writeFile(target.fsPath, key.publicPem);
  }
  return { kind: key.kind, keyId: key.keyId };
}
