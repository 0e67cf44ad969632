import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { Server } from '../../core/config/model';
import { resolveInFolder } from '../../core/config/paths';
import { OtaError } from '../../core/errors';
import { caAsCHeader } from '../../server/tls/certificates';
import type { ExtensionServices } from '../context';
import { serverOf } from './serverPick';

/**
 * Saves the CA certificate devices must trust to reach the server over HTTPS: the embedded
 * server's own CA while it runs with TLS, else the `ca` (or `tls.cert`) file the config names.
 * A `.h` file name gets it as a C string for firmware (`esp_https_ota`, mbedTLS).
 */
export async function exportCa(services: ExtensionServices, arg?: unknown, destination?: unknown): Promise<vscode.Uri | undefined> {
  const picked = await serverOf(arg, vscode.l10n.t('Export CA Certificate'));
  if (!picked) return undefined;
  const { folder, server } = picked;
  const pem = await caPem(services, folder.fsPath, picked.server);
  if (!pem) {
    throw new OtaError(vscode.l10n.t('server {0} has no private CA to export', server.name), {
      hint: server.type === 'local' ? vscode.l10n.t('give the local server "tls" in .vscode/ota.json (or start it with TLS), then export again') : vscode.l10n.t('it uses a publicly trusted certificate or plain HTTP: devices need no extra CA; set "ca" in its entry if it has a private one'),
    });
  }
  const uri =
    destination instanceof vscode.Uri
      ? destination
      : await vscode.window.showSaveDialog({
          title: vscode.l10n.t('Export the CA certificate of {0}', server.name),
          defaultUri: vscode.Uri.joinPath(folder, `${server.name}-ca.pem`),
          filters: { [vscode.l10n.t('PEM certificate')]: ['pem', 'crt'], [vscode.l10n.t('C header')]: ['h'] },
        });
  if (!uri) return undefined;
  const text = uri.path.endsWith('.h') ? caAsCHeader(pem) : pem;
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  services.log.info(`exported the CA of server ${server.name} to ${uri.fsPath}`);
  void vscode.window.showInformationMessage(vscode.l10n.t('Saved the CA certificate of {0} to {1}.', server.name, vscode.workspace.asRelativePath(uri)));
  return uri;
}

async function caPem(services: ExtensionServices, folder: string, server: Server): Promise<string | undefined> {
  const running = services.server.current;
  if (server.type === 'local' && running?.caCertPem && running.port === server.port) return running.caCertPem;
  const file = exportCaFile(folder, server);
  if (!file) return undefined;
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new OtaError(vscode.l10n.t('cannot read the CA certificate ({0})', (err as NodeJS.ErrnoException).code ?? String(err)), { where: file, hint: vscode.l10n.t('fix the path in .vscode/ota.json') });
  }
}

/** The certificate file the config names for the server, if any. */
function exportCaFile(folder: string, server: Server): string | undefined {
  if (server.type === 'local') return server.tls ? resolveInFolder(folder, server.tls.cert) : undefined;
  return server.ca ? resolveInFolder(folder, server.ca) : undefined;
}
