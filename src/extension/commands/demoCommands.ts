import * as vscode from 'vscode';
import type { ExtensionServices } from '../context';
import type { DemoHandle } from '../demo/demoRunner';
import { withCancellableProgress } from '../firmware/cancellableProgress';

/** "OTA: Run Demo": progress in a notification, cancellable while it sets up; the demo then runs on. */
export function runDemo(services: ExtensionServices): Thenable<DemoHandle> {
  return withCancellableProgress('OTA demo', (signal, onProgress) => services.demo.start(onProgress, signal));
}

export async function stopDemo(services: ExtensionServices): Promise<boolean> {
  const stopped = await services.demo.stop();
  if (!stopped) void vscode.window.showInformationMessage('No OTA demo is running.');
  return stopped;
}
