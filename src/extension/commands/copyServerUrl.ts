import * as vscode from 'vscode';
import type { ExtensionServices } from '../context';
import { serverOf } from './serverPick';

/** Copies the server's URL: the embedded server's actual one when it runs, else the configured one. */
export async function copyServerUrl(services: ExtensionServices, arg?: unknown): Promise<string | undefined> {
  const picked = await serverOf(arg, vscode.l10n.t('Copy Server URL'));
  if (!picked) return undefined;
  const { server } = picked;
  const running = services.server.current;
  const url =
    server.type !== 'local'
      ? server.url
      : running && running.port === server.port
        ? running.url
        : `${server.tls ? 'https' : 'http'}://${server.host.includes(':') ? `[${server.host}]` : server.host}:${server.port}`;
  await vscode.env.clipboard.writeText(url);
  void vscode.window.showInformationMessage(vscode.l10n.t('Copied {0} (server {1}).', url, server.name));
  return url;
}
