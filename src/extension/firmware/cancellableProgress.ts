import * as vscode from 'vscode';
import type { ProgressCallback } from '../../core/logger';

/**
 * Runs a core operation under a cancellable notification: the CancellationToken becomes the
 * AbortSignal the core takes, and the core's byte counts become real increments of the bar.
 */
export function withCancellableProgress<T>(title: string, body: (signal: AbortSignal, onProgress: ProgressCallback) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const abort = new AbortController();
    const subscription = token.onCancellationRequested(() => abort.abort());
    let reported = 0;
    const onProgress: ProgressCallback = ({ message, done, total }) => {
      if (done === undefined || !total) {
        if (message) progress.report({ message });
        return;
      }
      const percent = Math.min(100, (done / total) * 100);
      progress.report({ increment: percent - reported, ...(message ? { message } : {}) });
      reported = percent;
    };
    try {
      return await body(abort.signal, onProgress);
    } finally {
      subscription.dispose();
    }
  });
}
