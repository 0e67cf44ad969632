import * as vscode from 'vscode';
import { access } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { readImageFile } from '../../core/image/readImageFile';
import { readManifest } from '../../core/release/readManifest';
import { manifestFileName } from '../../core/release/releaseStore';
import type { VerifyingKey } from '../../core/signing/loadKey';
import { verifyFirmware } from '../../core/verify/verifyFirmware';
import type { VerifyReport } from '../../core/verify/verifyFirmware';
import type { ExtensionServices } from '../context';
import { withCancellableProgress } from '../firmware/cancellableProgress';
import { pickVerifyingKey } from '../firmware/signingKeyStore';

/**
 * Runs every check on an image (structure, checksum, hashes, signature, and the release manifest
 * next to it when there is one); the log lists each check, the message names the failed ones.
 */
export async function verifyImage(services: ExtensionServices, arg?: unknown): Promise<VerifyReport | undefined> {
  const file = arg instanceof vscode.Uri ? arg : (await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: vscode.l10n.t('Verify this image') }))?.[0];
  if (!file) return undefined;
  const withKey = await vscode.window.showQuickPick(
    [
      { label: vscode.l10n.t('Check the signature with a key…'), key: true },
      { label: vscode.l10n.t('Without a key'), key: false },
    ],
    { placeHolder: vscode.l10n.t('Signature check') },
  );
  if (!withKey) return undefined;
  let key: VerifyingKey | undefined;
  if (withKey.key) {
    key = await pickVerifyingKey(services);
    if (!key) return undefined;
  }
  const manifestPath = join(dirname(file.fsPath), manifestFileName);
  const hasManifest = await access(manifestPath).then(
    () => true,
    () => false,
  );
  const report = await withCancellableProgress(vscode.l10n.t('Verifying {0}', basename(file.fsPath)), async () => {
    const { bytes } = await readImageFile(file.fsPath);
    const manifest = hasManifest ? { value: await readManifest(manifestPath), path: manifestPath } : undefined;
    return verifyFirmware({ bytes, file: file.fsPath, ...(key ? { key } : {}), ...(manifest ? { manifest } : {}) });
  });
  for (const check of report.checks) services.log.info(`verify ${basename(file.fsPath)}: ${check.status} ${check.name}: ${check.detail}${check.where ? ` (${check.where})` : ''}`);
  const failed = report.checks.filter((c) => c.status === 'failed');
  if (failed.length === 0) {
    const name = basename(file.fsPath);
    const passed = report.checks.filter((c) => c.status === 'ok').length;
    void vscode.window.showInformationMessage(
      report.embeddedVersion ? vscode.l10n.t('{0} passes {1} checks (embedded version {2}).', name, passed, report.embeddedVersion) : vscode.l10n.t('{0} passes {1} checks.', name, passed),
    );
  } else {
    const first = failed[0]!;
    const names = failed.map((c) => c.name).join(', ');
    const message = first.where
      ? vscode.l10n.t('{0} fails {1}: {2} at {3}', basename(file.fsPath), names, first.detail, first.where)
      : vscode.l10n.t('{0} fails {1}: {2}', basename(file.fsPath), names, first.detail);
    void vscode.window.showErrorMessage(message, vscode.l10n.t('Show Log')).then((choice) => {
      if (choice) services.log.show();
    });
  }
  return report;
}
