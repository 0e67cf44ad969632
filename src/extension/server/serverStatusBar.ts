import * as vscode from 'vscode';
import type { RunningServer } from '../../server/startServer';
import { activeDeploymentProgress } from './deploymentProgress';
import type { EmbeddedServer } from './embeddedServer';

/** Progress is recounted at most this often while a deployment's sessions tick. */
const recountMs = 500;

/**
 * The status bar item of the local OTA server: whether it runs and where, and the active
 * deployment's progress in devices ("2/5"). A click opens the live view, which shows the rest
 * and offers Start when the server is stopped. Stopped is a plain state, never an error colour.
 */
export class ServerStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('ota.server', vscode.StatusBarAlignment.Left, 50);
  private unsubscribe: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(server: EmbeddedServer) {
    this.item.name = vscode.l10n.t('OTA Server');
    this.item.command = { command: 'ota.openLiveView', title: vscode.l10n.t('Open Live Update View') };
    this.disposables.push(server.onDidChange((running) => this.follow(running)));
    this.follow(server.current);
    this.item.show();
  }

  private follow(running: RunningServer | undefined): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    // A recount scheduled for the previous server would otherwise draw it again after it stopped.
    clearTimeout(this.timer);
    this.timer = undefined;
    if (running) {
      // In process: the server's own event bus, no polling and no HTTP round trip.
      this.unsubscribe = running.service.ctx.events.subscribe((event) => {
        if (event.type === 'session.updated' || event.type.startsWith('deployment.')) this.schedule(running);
      });
    }
    this.render(running);
  }

  private schedule(running: RunningServer): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.render(running);
    }, recountMs);
  }

  private render(running: RunningServer | undefined): void {
    if (!running) {
      this.item.text = `$(debug-stop) ${vscode.l10n.t('OTA stopped')}`;
      this.item.tooltip = vscode.l10n.t('The local OTA server is stopped. Click to open the live view, which can start it.');
      return;
    }
    const model = running.service.ctx.model;
    const progress = activeDeploymentProgress(model.deployments.values(), model.sessions.values());
    const where = `${running.host}:${running.port}`;
    const lines = [vscode.l10n.t('OTA server running on {0}', running.url)];
    if (progress && progress.devices > 0) {
      this.item.text = `$(radio-tower) OTA ${where} $(cloud-download) ${progress.updated}/${progress.devices}`;
      lines.push(vscode.l10n.t('Deployment {0}: {1} of {2} devices updated, {3} updating, {4} failed', progress.deployment.id, progress.updated, progress.devices, progress.updating, progress.failed));
    } else {
      this.item.text = `$(radio-tower) OTA ${where}`;
      if (progress) lines.push(vscode.l10n.t('Deployment {0}: not offered to any device yet', progress.deployment.id));
    }
    lines.push(vscode.l10n.t('Click to open the live view.'));
    this.item.tooltip = lines.join('\n');
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.unsubscribe?.();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.item.dispose();
  }
}
