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
  const file = arg instanceof vscode.Uri ? arg : (await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Verify this image' }))?.[0];
  if (!file) return undefined;
  const withKey = await vscode.window.showQuickPick([{ label: 'Check the signature with a key…', key: true }, { label: 'Without a key', key: false }], { placeHolder: 'Signature check' });
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
  const report = await withCancellableProgress(`Verifying ${basename(file.fsPath)}`, async () => {
    const { bytes } = await readImageFile(file.fsPath);
    const manifest = hasManifest ? { value: await readManifest(manifestPath), path: manifestPath } : undefined;
    return verifyFirmware({ bytes, file: file.fsPath, ...(key ? { key } : {}), ...(manifest ? { manifest } : {}) });
  });
  for (const check of report.checks) services.log.info(`verify ${basename(file.fsPath)}: ${check.status} ${check.name}: ${check.detail}${check.where ? ` (${check.where})` : ''}`);
  const failed = report.checks.filter((c) => c.status === 'failed');
  if (failed.length === 0) {
    void vscode.window.showInformationMessage(`${basename(file.fsPath)} passes ${report.checks.filter((c) => c.status === 'ok').length} checks${report.embeddedVersion ? ` (embedded version ${report.embeddedVersion})` : ''}.`);
  } else {
    const first = failed[0]!;
    void vscode.window.showErrorMessage(`${basename(file.fsPath)} fails ${failed.map((c) => c.name).join(', ')}: ${first.detail}${first.where ? ` at ${first.where}` : ''}`, 'Show Log').then((choice) => {
      if (choice) services.log.show();
    });
  }
  return report;
}
