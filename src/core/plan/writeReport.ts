import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OtaError } from '../errors';
import { writeFileAtomically } from '../files/atomicOutput';
import { renderReportHtml } from './reportHtml';
import { renderReportMarkdown } from './reportMarkdown';
import type { RunReport } from './runReport';
import { runReportSchema } from './runReport';

/** Where a workspace keeps its run reports. */
export function reportsRoot(folder: string): string {
  return join(folder, '.ota', 'reports');
}

/** Writes `<root>/<run id>/` with report.json, report.md and report.html; returns the folder. Rewriting (a partial report, then the final one) replaces each file whole. */
export async function writeRunReport(root: string, report: RunReport): Promise<string> {
  const dir = join(root, report.id);
  await mkdir(dir, { recursive: true });
  await writeFileAtomically(join(dir, 'report.json'), JSON.stringify(report, null, 2) + '\n');
  await writeFileAtomically(join(dir, 'report.md'), renderReportMarkdown(report));
  await writeFileAtomically(join(dir, 'report.html'), renderReportHtml(report));
  return dir;
}

/** Reads a report.json back (the extension's webview renders it with its own nonce). */
export async function readRunReport(file: string): Promise<RunReport> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new OtaError(`cannot read the run report (${err instanceof SyntaxError ? 'not JSON' : ((err as NodeJS.ErrnoException).code ?? String(err))})`, { where: file, hint: 'pick the report.json that ota stress or ota rollback wrote', cause: err });
  }
  const r = parsed as Partial<RunReport>;
  if (r.schema !== runReportSchema || !Array.isArray(r.results) || !Array.isArray(r.cycles) || !Array.isArray(r.devices)) {
    throw new OtaError(`not a run report (schema ${JSON.stringify(r.schema)})`, { where: file, hint: `expected "schema": "${runReportSchema}"` });
  }
  return r as RunReport;
}

/** Run folders under a reports root, newest first (ids sort by time). */
export async function listRunReports(root: string): Promise<string[]> {
  try {
    const entries = await readdir(root, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort().reverse();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}
