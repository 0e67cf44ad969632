import * as vscode from 'vscode';
import { basename } from 'node:path';
import { OtaError } from '../../core/errors';
import { looksLikeMcubootImage } from '../../core/image/mcubootImage';
import { parseMcubootVersion } from '../../core/image/mcubootVersion';
import { readImageFile } from '../../core/image/readImageFile';
import { restampMcubootImage } from '../../core/signing/mcubootRestamp';
import { signMcubootImage } from '../../core/signing/mcubootSign';
import type { McubootSignResult } from '../../core/signing/mcubootSign';
import { guardTestKey, testKeyName } from '../../core/signing/testKeys';
import type { ExtensionServices } from '../context';
import { withCancellableProgress } from '../firmware/cancellableProgress';
import { pickSigningKey } from '../firmware/signingKeyStore';

async function pickFile(arg: unknown, openLabel: string): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  const picked = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel, filters: { [vscode.l10n.t('Firmware images')]: ['bin', 'hex', 'img'], [vscode.l10n.t('All files')]: ['*'] } });
  return picked?.[0];
}

/**
 * Signs a build output as an MCUboot image (imgtool-compatible: 0x200 header padded, align 4),
 * or re-signs an MCUboot image under a new version, with a cancellable progress notification.
 */
export async function signImage(services: ExtensionServices, arg?: unknown): Promise<McubootSignResult | undefined> {
  const input = await pickFile(arg, vscode.l10n.t('Sign this image'));
  if (!input) return undefined;
  const versionText = await vscode.window.showInputBox({
    prompt: vscode.l10n.t('MCUboot version to write into the header (MAJOR.MINOR.REVISION+BUILD)'),
    placeHolder: '1.2.3+4',
    validateInput: (text) => {
      try {
        parseMcubootVersion(text);
        return undefined;
      } catch (err) {
        return err instanceof OtaError ? err.message : String(err);
      }
    },
  });
  if (!versionText) return undefined;
  const key = await pickSigningKey(services);
  if (!key) return undefined;
  guardTestKey(key, false, services.log);
  if (testKeyName(key.keyId)) void vscode.window.showWarningMessage(vscode.l10n.t('{0} is a public MCUboot test key: never ship images signed with it.', key.label));
  const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(input.fsPath.replace(/(\.[^./]+)?$/, '.signed.bin')), saveLabel: vscode.l10n.t('Write signed image') });
  if (!target) return undefined;
  const version = parseMcubootVersion(versionText);
  const result = await withCancellableProgress(vscode.l10n.t('Signing {0}', basename(input.fsPath)), async (signal, onProgress) => {
    const { bytes } = await readImageFile(input.fsPath);
    if (looksLikeMcubootImage(bytes)) {
      return restampMcubootImage({ bytes, file: input.fsPath, output: target.fsPath, version, key, signal, onProgress });
    }
    return signMcubootImage({ input: input.fsPath, output: target.fsPath, key, version, headerSize: 0x200, padHeader: true, align: 4, signal, onProgress });
  });
  services.log.info(`signed ${target.fsPath}: version ${result.version}, key ${result.keyId}, SHA-256 ${result.file.sha256}`);
  void vscode.window.showInformationMessage(vscode.l10n.t('Signed {0}: MCUboot version {1}, key {2}…', basename(target.fsPath), result.version, result.keyId?.slice(0, 16) ?? ''));
  return result;
}
