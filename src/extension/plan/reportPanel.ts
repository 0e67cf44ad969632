import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { OtaError } from '../../core/errors';
import { renderReportHtml } from '../../core/plan/reportHtml';
import type { RunReport } from '../../core/plan/runReport';
import { runTitle } from '../../core/plan/runReport';
import { listRunReports, readRunReport, reportsRoot } from '../../core/plan/writeReport';
import type { ExtensionServices } from '../context';

/** The one message the report page sends: the user pressed Export. */
interface ExportMessage {
  type: 'export';
}

const exportScript = `const vscode = acquireVsCodeApi();
document.getElementById('ota-export').addEventListener('click', () => vscode.postMessage({ type: 'export' }));`;

/**
 * "OTA: Show Run Report…": a report.json of a stress, rollback or update run in a webview (strict
 * CSP, one nonce for its style and its one script), with Export writing the standalone report.html
 * (no script, inline SVG charts) where the user chooses.
 */
export async function showReport(services: ExtensionServices, arg?: unknown): Promise<vscode.WebviewPanel | undefined> {
  const file = await reportFile(arg);
  if (!file) return undefined;
  const report = await readRunReport(file);
  const panel = vscode.window.createWebviewPanel('ota.report', `${runTitle(report.kind)} ${report.id}`, vscode.ViewColumn.Active, { enableScripts: true, localResourceRoots: [] });
  const nonce = randomBytes(16).toString('base64');
  const toolbar = `<p><button id="ota-export" type="button">${escapeHtml(vscode.l10n.t('Export…'))}</button></p>`;
  panel.webview.html = renderReportHtml(report, { nonce, toolbar, script: exportScript });
  panel.webview.onDidReceiveMessage(
    (m: ExportMessage) => {
      if (m?.type === 'export') void exportReport(services, report, file);
    },
    undefined,
    services.context.subscriptions,
  );
  return panel;
}

async function exportReport(services: ExtensionServices, report: RunReport, file: string): Promise<void> {
  const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(join(dirname(file), `${report.id}.html`)), filters: { HTML: ['html'] }, title: vscode.l10n.t('Export the report as one HTML file') });
  if (!target) return;
  try {
    await writeFile(target.fsPath, renderReportHtml(report));
    void vscode.window.showInformationMessage(vscode.l10n.t('Report exported to {0}: it opens offline in any browser.', basename(target.fsPath)));
  } catch (err) {
    services.log.error(`export of report ${report.id} failed: ${String(err)}`);
    void vscode.window.showErrorMessage(vscode.l10n.t('Could not export the report: {0}', String(err)));
  }
}

/** A report folder or report.json given as a Uri or path; else the user picks among the workspace's reports, newest first. */
async function reportFile(arg: unknown): Promise<string | undefined> {
  const given = arg instanceof vscode.Uri ? arg.fsPath : typeof arg === 'string' ? arg : undefined;
  if (given) return given.endsWith('.json') ? given : join(given, 'report.json');
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  const items: (vscode.QuickPickItem & { file: string })[] = [];
  for (const f of folders) {
    for (const id of await listRunReports(reportsRoot(f.uri.fsPath))) items.push({ label: id, description: f.name, file: join(reportsRoot(f.uri.fsPath), id, 'report.json') });
  }
  if (!items.length) throw new OtaError(vscode.l10n.t('no run reports in this workspace yet'), { hint: vscode.l10n.t('run "OTA: Run Stress Test…" or "OTA: Roll Back…" first; reports go to .ota/reports/') });
  return (await vscode.window.showQuickPick(items, { placeHolder: vscode.l10n.t('Run report to show') }))?.file;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
