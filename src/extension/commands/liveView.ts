import * as vscode from 'vscode';
import type { ExtensionServices } from '../context';
import { firstConfig } from '../live/liveConfig';
import { liveServerChoices } from '../live/liveSource';
import type { LiveViewHandle } from '../live/liveView';
import { targetOf } from './commandTarget';

/**
 * Opens the live update view; returns a handle tests can watch (no secrets). A server row names
 * its server; from the palette, with more than one server to follow (the running embedded one,
 * remote ones, hawkBit), the user picks one.
 */
export async function openLiveView(services: ExtensionServices, arg?: unknown): Promise<LiveViewHandle | undefined> {
  const named = targetOf(arg)?.server;
  if (named) return services.live.open(named);
  const loaded = services.live.demoConfig ?? (await firstConfig());
  const choices = liveServerChoices(loaded, services.server);
  if (choices.length <= 1) return services.live.open(choices[0]?.name);
  // The embedded server is not running and the config names its default server: that is the one
  // the workspace means (as `ota watch` without --server takes it), so there is nothing to ask.
  const preferred = loaded?.config?.defaultServer;
  if (!services.server.current && preferred && choices.some((c) => c.name === preferred)) return services.live.open(preferred);
  const typeWords: Record<string, string> = {
    local: vscode.l10n.t('embedded server, live events'),
    'ota-workbench': vscode.l10n.t('OTA Workbench server, live events'),
    hawkbit: vscode.l10n.t('Eclipse hawkBit, polled'),
  };
  const picked = await vscode.window.showQuickPick(
    choices.map((c) => ({ label: c.name, description: typeWords[c.type], detail: c.url, name: c.name })),
    { title: vscode.l10n.t('OTA: Open Live View'), placeHolder: vscode.l10n.t('Server to follow'), ignoreFocusOut: true },
  );
  return picked ? services.live.open(picked.name) : undefined;
}
