import * as vscode from 'vscode';
import { OtaError } from '../core/errors';

/**
 * What Restricted Mode (an untrusted workspace) turns off, and why. A workspace's config names the
 * build command line, the signing key, the server URLs our stored credentials go to and the port
 * a server opens: running any of that is running what the folder's author wrote. Reading the
 * config, checking it and showing the tree stay on.
 */
const restricted: Readonly<Record<string, () => string>> = {
  'ota.buildFirmware': () => vscode.l10n.t('Building runs the command line in this workspace’s .vscode/ota.json.'),
  'ota.createRelease': () => vscode.l10n.t('Creating a release builds and signs with what this workspace’s config names.'),
  'ota.signImage': () => vscode.l10n.t('Signing uses the key this workspace’s config names.'),
  'ota.pushRelease': () => vscode.l10n.t('Pushing sends your stored credentials to a server this workspace’s config names.'),
  'ota.deployRelease': () => vscode.l10n.t('Deploying sends your stored credentials to a server this workspace’s config names.'),
  'ota.startServer': () => vscode.l10n.t('Serving opens a port this workspace’s config chooses.'),
  'ota.runDemo': () => vscode.l10n.t('The demo starts a server and builds a release from this workspace.'),
  'ota.runStressTest': () => vscode.l10n.t('A stress test signs and pushes releases of this workspace.'),
  'ota.rollBack': () => vscode.l10n.t('A rollback signs and pushes a release of this workspace.'),
};

/** Throws, saying why, when `command` is one Restricted Mode turns off and the workspace is not trusted. */
export function requireTrust(command: string): void {
  const why = restricted[command];
  if (!why || vscode.workspace.isTrusted) return;
  throw new OtaError(vscode.l10n.t('This workspace is in Restricted Mode. {0}', why()), {
    hint: vscode.l10n.t('Trust the workspace (Manage Workspace Trust) if you trust its author, then run the command again.'),
    code: 'untrusted-workspace',
  });
}

/** The commands Restricted Mode turns off (package.json `when` clauses hide them there as well). */
export const restrictedCommands: readonly string[] = Object.keys(restricted);
