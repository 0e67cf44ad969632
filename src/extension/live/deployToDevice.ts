import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import type { Device, Release } from '../../core/protocol/management';
import type { PushProvider } from '../../providers/provider';

/**
 * A device card's Deploy: which release (those for the PID and channel the device reports come
 * first), then a deployment to that one device through the server's provider. The server decides
 * whether the device is offered it; its why-not record says so in the view when not.
 */
export async function deployToDevice(provider: PushProvider, deviceId: string, log: Logger): Promise<void> {
  try {
    const status = await provider.status();
    const device = status.devices.find((d) => d.id === deviceId);
    const releases = [...status.releases].sort((a, b) => fitOf(b, device) - fitOf(a, device) || b.createdAt.localeCompare(a.createdAt));
    if (!releases.length) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Server "{0}" has no release to deploy. Push one first ("OTA: Push Release…").', provider.name));
      return;
    }
    const picked = await vscode.window.showQuickPick(
      releases.map((r) => ({ label: r.label, description: `${r.pid} · ${r.channel} · ${r.fwKey}`, detail: fitOf(r, device) === 2 ? vscode.l10n.t('matches what {0} reports', deviceId) : undefined, release: r })),
      { title: vscode.l10n.t('Deploy to {0}', deviceId), placeHolder: vscode.l10n.t('Release to deploy to {0}', deviceId) },
    );
    if (!picked) return;
    const r = picked.release;
    const result = await provider.deploy({ releaseId: r.id, pid: r.pid, fwKey: r.fwKey, channel: r.channel, devices: [deviceId], type: 'soft' });
    log.info(`live view: deployed release ${r.id} (${r.label}) to ${deviceId}: ${result.notes.join('; ')}`);
    void vscode.window.showInformationMessage(vscode.l10n.t('Deployed {0} to {1} (deployment {2}).', r.label, deviceId, result.id));
  } catch (err) {
    log.error(`live view: deploy to ${deviceId} failed: ${describeError(err)}`);
    void vscode.window.showErrorMessage(vscode.l10n.t('Deploying to {0} failed: {1}', deviceId, describeError(err)));
  }
}

/** 2: the release is for the PID and channel the device reports; 1: the PID only; 0: neither. */
function fitOf(release: Release, device: Device | undefined): number {
  const a = device?.attributes ?? {};
  if (a.pid !== release.pid) return 0;
  return a.channel === release.channel ? 2 : 1;
}
