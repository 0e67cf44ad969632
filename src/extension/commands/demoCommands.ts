import * as vscode from 'vscode';
import type { ExtensionServices } from '../context';
import type { DemoHandle } from '../demo/demoRunner';

/** "OTA: Run Demo": progress in a notification, cancellable while it sets up; the demo then runs on. */
export function runDemo(services: ExtensionServices): Thenable<DemoHandle> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'OTA demo', cancellable: true }, (progress, token) => {
    const cancel = new AbortController();
    token.onCancellationRequested(() => cancel.abort());
    let last = 0;
    return services.demo.start(({ message, done, total }) => {
      // withProgress takes increments; uploads report bytes done of total.
      const percent = done !== undefined && total ? (done * 100) / total : undefined;
      progress.report({ ...(message ? { message } : {}), ...(percent !== undefined ? { increment: percent - last } : {}) });
      if (percent !== undefined) last = percent;
    }, cancel.signal);
  });
}

export async function stopDemo(services: ExtensionServices): Promise<boolean> {
  const stopped = await services.demo.stop();
  if (!stopped) void vscode.window.showInformationMessage('No OTA demo is running.');
  return stopped;
}
