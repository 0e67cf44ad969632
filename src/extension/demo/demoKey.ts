import * as vscode from 'vscode';
import { generateSigningKey } from '../../core/signing/generateKey';
import { loadSigningKey } from '../../core/signing/loadKey';
import type { SigningKey } from '../../core/signing/loadKey';
import type { Logger } from '../../core/logger';
import type { Secrets } from '../secrets';

const demoKeySecret = 'signing-key:demo' as const;

/**
 * The demo's throw-away Ed25519 signing key: generated on first use and kept in VS Code Secret
 * Storage, never in the workspace, so a demo never needs (or leaks) a real key.
 */
export async function demoSigningKey(secrets: Secrets, log: Logger): Promise<SigningKey> {
  let pem = await secrets.get(demoKeySecret);
  if (!pem) {
    const generated = await generateSigningKey('ed25519');
    pem = generated.privatePem;
    await secrets.store(demoKeySecret, pem);
    log.info(`demo: generated a throw-away Ed25519 signing key ${generated.keyId} (kept in Secret Storage)`);
  }
  return loadSigningKey({ label: vscode.l10n.t('the demo key in Secret Storage'), pem });
}
