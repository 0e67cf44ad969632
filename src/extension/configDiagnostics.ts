import * as vscode from 'vscode';
import { checkConfigSources } from '../core/config/check';
import type { ConfigDiagnostic } from '../core/config/diagnostic';
import { localConfigRelativePath, sharedConfigRelativePath } from '../core/config/paths';
import { describeError } from '../core/errors';
import type { Logger } from '../core/logger';
import { configFolder, readSource } from './configSources';

/** Stages shown here. Syntax and schema problems are already shown by VS Code's JSON service (jsonValidation). */
const liveStages: ReadonlySet<ConfigDiagnostic['stage']> = new Set(['semantic', 'secret']);
/** Long enough to coalesce a burst of keystrokes, short enough to feel live. */
const debounceMs = 150;

/**
 * Live diagnostics for the semantic checks of `.vscode/ota.json` and `.vscode/ota.local.json`:
 * the core loader runs over the editor buffers (unsaved text included) merged as on disk, and
 * each problem is shown in the file that holds the offending value.
 */
export class ConfigDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('ota-config');
  private readonly disposables: vscode.Disposable[] = [this.collection];
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Files each folder last reported on, so a fixed or deleted file is cleared. */
  private readonly reported = new Map<string, vscode.Uri[]>();

  constructor(private readonly log: Logger) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/.vscode/ota{,.local}.json');
    this.disposables.push(
      watcher,
      watcher.onDidCreate((uri) => this.schedule(uri)),
      watcher.onDidChange((uri) => this.schedule(uri)),
      watcher.onDidDelete((uri) => this.schedule(uri)),
      vscode.workspace.onDidOpenTextDocument((doc) => this.schedule(doc.uri)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document.uri)),
      // A closed buffer may have held unsaved text: check again from disk.
      vscode.workspace.onDidCloseTextDocument((doc) => this.schedule(doc.uri)),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.checkAll()),
      // Deleting a whole folder from the explorer may report only the folder, not the config in it.
      vscode.workspace.onDidDeleteFiles((e) => this.recheckUnder(e.files)),
    );
    void this.checkAll();
  }

  /** Checks every workspace folder now (each folder has its own config). */
  async checkAll(): Promise<void> {
    await Promise.all((vscode.workspace.workspaceFolders ?? []).map((f) => this.checkFolder(f.uri)));
  }

  private recheckUnder(deleted: readonly vscode.Uri[]): void {
    for (const key of this.reported.keys()) {
      if (deleted.some((d) => key === d.toString() || key.startsWith(`${d.toString()}/`))) void this.checkFolder(vscode.Uri.parse(key));
    }
  }

  private schedule(uri: vscode.Uri): void {
    const folder = configFolder(uri);
    if (!folder) return;
    const key = folder.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.checkFolder(folder);
      }, debounceMs),
    );
  }

  /** Checks one folder's config; returns what was shown, by file (used by tests and commands). */
  async checkFolder(folder: vscode.Uri): Promise<Map<string, vscode.Diagnostic[]>> {
    const shown = new Map<string, vscode.Diagnostic[]>();
    try {
      const sharedUri = vscode.Uri.joinPath(folder, sharedConfigRelativePath);
      const localUri = vscode.Uri.joinPath(folder, localConfigRelativePath);
      const [shared, local] = await Promise.all([readSource(sharedUri), readSource(localUri)]);
      if (shared) {
        const result = checkConfigSources(shared, local);
        for (const d of result.diagnostics) {
          if (!liveStages.has(d.stage)) continue;
          const list = shown.get(d.file) ?? [];
          list.push(toVscode(d));
          shown.set(d.file, list);
        }
      }
      for (const uri of this.reported.get(folder.toString()) ?? []) this.collection.delete(uri);
      const uris = [sharedUri, localUri];
      for (const uri of uris) {
        const list = shown.get(uri.toString());
        if (list?.length) this.collection.set(uri, list);
      }
      this.reported.set(folder.toString(), uris);
    } catch (err) {
      this.log.warn(`checking the OTA config in ${folder.fsPath} failed: ${describeError(err)}`);
    }
    return shown;
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const d of this.disposables) d.dispose();
  }
}

function toVscode(d: ConfigDiagnostic): vscode.Diagnostic {
  const range = new vscode.Range(d.line - 1, d.column - 1, d.endLine - 1, d.endColumn - 1);
  const diagnostic = new vscode.Diagnostic(range, d.message, d.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Error);
  diagnostic.source = 'OTA';
  diagnostic.code = d.code;
  return diagnostic;
}
