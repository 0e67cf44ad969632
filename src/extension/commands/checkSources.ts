import * as vscode from 'vscode';
import type { ExtensionServices } from '../context';
import { reportFailure } from './reportFailure';

export interface SourceCheckSummary {
  folders: number;
  files: number;
  problems: number;
}

/**
 * OTA: Check Sources — the inline key / channel checks over every firmware source of the
 * workspace (C defines, sdkconfig, prj.conf, platformio.ini, CMake) again from disk, results in
 * Problems. The checks also run as files change; this is the "check everything now" button.
 */
export async function checkSources(services: ExtensionServices): Promise<SourceCheckSummary | undefined> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  try {
    const shown = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking firmware sources against the OTA config'), cancellable: true },
      async (progress, token) => {
        const results: Map<string, vscode.Diagnostic[]>[] = [];
        for (const folder of folders) {
          if (token.isCancellationRequested) break;
          progress.report({ message: folder.name });
          results.push(await services.sources.rescan(folder.uri));
          progress.report({ increment: 100 / folders.length });
        }
        return results;
      },
    );
    const files = shown.reduce((n, m) => n + m.size, 0);
    const problems = shown.reduce((n, m) => n + [...m.values()].reduce((k, list) => k + list.length, 0), 0);
    services.log.info(`check sources: ${problems} problem(s) in ${files} file(s) of ${folders.length} folder(s)`);
    const summary: SourceCheckSummary = { folders: folders.length, files, problems };
    if (problems === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Firmware sources agree with the OTA config: no PID, firmware key or channel mismatch found.'));
    } else {
      const show = vscode.l10n.t('Show Problems');
      void vscode.window
        .showWarningMessage(vscode.l10n.t('{0} PID / firmware key / channel mismatch(es) in {1} source file(s): see Problems for each, with quick fixes.', problems, files), show)
        .then((c) => (c === show ? vscode.commands.executeCommand('workbench.actions.view.problems') : undefined));
    }
    return summary;
  } catch (err) {
    reportFailure(services, vscode.l10n.t('Check Sources failed'), err, {});
    return undefined;
  }
}
