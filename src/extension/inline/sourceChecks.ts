import * as vscode from 'vscode';
import type { ConfigCheckResult } from '../../core/config/check';
import { skippedFolders } from '../../core/checks/findSources';
import { checkSourceDeclarations } from '../../core/checks/sourceCheck';
import { sourceHoverAt } from '../../core/checks/sourceHover';
import type { SourceProblem } from '../../core/checks/sourceCheck';
import { scanSource, sourceFileGlob, sourceSyntaxOf } from '../../core/checks/sourcePatterns';
import type { SourceDeclaration, SourceNames } from '../../core/checks/sourcePatterns';
import { sourceNamesOf } from '../../core/checks/sourceNames';
import { describeError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import { checkFolderConfig, configFolder, readSource } from '../configSources';
import { toRange, toWorkspaceEdit } from './workspaceEdit';

const debounceMs = 150;
/** A safety net for huge trees; the identity is declared in a handful of files. */
const maxFiles = 5000;
const maxFileChars = 1024 * 1024;
const exclude = `**/{${[...skippedFolders].join(',')}}/**`;

interface FolderState {
  names: SourceNames;
  /** Declarations by file URI; files without any are not kept. */
  declarations: Map<string, SourceDeclaration[]>;
  /** URIs that were last shown with diagnostics, so fixed ones are cleared. */
  reported: Set<string>;
}

/**
 * Diagnostics, quick fixes and hovers in firmware sources (C defines, sdkconfig, prj.conf, platformio.ini,
 * CMake) whose OTA identity does not match the workspace config. Each workspace folder with a
 * `.vscode/ota.json` is scanned once, then kept current from buffers and file events.
 */
export class SourceChecks implements vscode.Disposable, vscode.CodeActionProvider, vscode.HoverProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };
  private readonly collection = vscode.languages.createDiagnosticCollection('ota-sources');
  private readonly disposables: vscode.Disposable[] = [this.collection];
  private readonly folders = new Map<string, FolderState>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** The scan of each folder in progress or done, so events before it finishes wait for it. */
  private readonly scans = new Map<string, Promise<void>>();

  constructor(private readonly log: Logger) {
    const sources = vscode.workspace.createFileSystemWatcher(sourceFileGlob);
    const configs = vscode.workspace.createFileSystemWatcher('**/.vscode/ota{,.local}.json');
    this.disposables.push(
      sources,
      configs,
      sources.onDidCreate((uri) => this.schedule(uri)),
      sources.onDidChange((uri) => this.schedule(uri)),
      sources.onDidDelete((uri) => this.schedule(uri)),
      configs.onDidCreate((uri) => this.scheduleConfig(uri)),
      configs.onDidChange((uri) => this.scheduleConfig(uri)),
      configs.onDidDelete((uri) => this.scheduleConfig(uri)),
      vscode.workspace.onDidChangeTextDocument((e) => (configFolder(e.document.uri) ? this.scheduleConfig(e.document.uri) : this.schedule(e.document.uri))),
      vscode.workspace.onDidOpenTextDocument((doc) => this.schedule(doc.uri)),
      vscode.workspace.onDidCloseTextDocument((doc) => this.schedule(doc.uri)),
      vscode.workspace.onDidChangeWorkspaceFolders((e) => {
        for (const removed of e.removed) this.forget(removed.uri);
        for (const added of e.added) void this.rescan(added.uri);
      }),
    );
    void this.scanAll();
  }

  /** Scans every workspace folder again from scratch. */
  async scanAll(): Promise<void> {
    await Promise.all((vscode.workspace.workspaceFolders ?? []).map((f) => this.rescan(f.uri)));
  }

  /** Scans a folder's sources again and shows the result; resolves with what is shown, by file URI (tests use it). */
  async rescan(folder: vscode.Uri): Promise<Map<string, vscode.Diagnostic[]>> {
    const key = folder.toString();
    const scan = this.scanFolder(folder);
    this.scans.set(key, scan);
    await scan;
    return this.publish(folder);
  }

  /** A folder that left the workspace: its diagnostics go with it. */
  private forget(folder: vscode.Uri): void {
    for (const uri of this.folders.get(folder.toString())?.reported ?? []) this.collection.delete(vscode.Uri.parse(uri));
    this.folders.delete(folder.toString());
    this.scans.delete(folder.toString());
  }

  private async scanFolder(folder: vscode.Uri): Promise<void> {
    try {
      const config = await checkFolderConfig(folder);
      const names = sourceNamesOf(config?.merged?.value);
      const state: FolderState = { names, declarations: new Map(), reported: this.folders.get(folder.toString())?.reported ?? new Set() };
      // Without a config nothing is checked; the empty state still clears what was shown before.
      const files = config ? await vscode.workspace.findFiles(new vscode.RelativePattern(folder, sourceFileGlob), exclude, maxFiles) : [];
      for (const uri of files) {
        const source = await readSource(uri);
        // Generated or vendored files this large are not where a project declares its identity (as `ota check`).
        const found = source && source.text.length <= maxFileChars ? scanSource(uri.toString(), source.text, names) : [];
        if (found.length) state.declarations.set(uri.toString(), found);
      }
      this.folders.set(folder.toString(), state);
    } catch (err) {
      this.log.warn(`scanning firmware sources in ${folder.fsPath} failed: ${describeError(err)}`);
    }
  }

  private scheduleConfig(uri: vscode.Uri): void {
    const folder = configFolder(uri);
    const workspaceFolder = folder && vscode.workspace.getWorkspaceFolder(uri);
    // Configs of sub-folders are not workspace configs: only the folder's own `.vscode/ota.json` counts.
    if (!folder || !workspaceFolder || workspaceFolder.uri.toString() !== folder.toString()) return;
    this.debounce(`config:${folder.toString()}`, async () => {
      const state = this.folders.get(folder.toString());
      const config = await checkFolderConfig(folder);
      // New macro names, or a config that appeared or went: read the sources again.
      if (!state || !config || JSON.stringify(sourceNamesOf(config.merged?.value)) !== JSON.stringify(state.names)) await this.rescan(folder);
      else await this.publish(folder, config);
    });
  }

  private schedule(uri: vscode.Uri): void {
    if (!sourceSyntaxOf(uri.path) || uri.scheme !== 'file') return;
    const folder = vscode.workspace.getWorkspaceFolder(uri)?.uri;
    if (!folder || vscode.workspace.asRelativePath(uri, false).split('/').some((seg) => skippedFolders.has(seg))) return;
    this.debounce(uri.toString(), async () => {
      await this.scans.get(folder.toString());
      const state = this.folders.get(folder.toString());
      if (!state) return;
      const source = await readSource(uri);
      const found = source ? scanSource(uri.toString(), source.text, state.names) : [];
      const before = JSON.stringify(state.declarations.get(uri.toString()) ?? []);
      if (found.length) state.declarations.set(uri.toString(), found);
      else state.declarations.delete(uri.toString());
      if (JSON.stringify(found) !== before) await this.publish(folder);
    });
  }

  private debounce(key: string, run: () => Promise<unknown>): void {
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        run().catch((err: unknown) => this.log.warn(`checking firmware sources failed: ${describeError(err)}`));
      }, debounceMs),
    );
  }

  private async problems(folder: vscode.Uri, config?: ConfigCheckResult, replace?: { uri: string; text: string }): Promise<{ problems: SourceProblem[]; config?: ConfigCheckResult }> {
    const state = this.folders.get(folder.toString());
    const checked = config ?? (await checkFolderConfig(folder));
    if (!state || !checked) return { problems: [] };
    const declarations = new Map(state.declarations);
    if (replace) declarations.set(replace.uri, scanSource(replace.uri, replace.text, state.names));
    return { problems: checkSourceDeclarations([...declarations.values()].flat(), checked), config: checked };
  }

  private async publish(folder: vscode.Uri, config?: ConfigCheckResult): Promise<Map<string, vscode.Diagnostic[]>> {
    const shown = new Map<string, vscode.Diagnostic[]>();
    const state = this.folders.get(folder.toString());
    const { problems } = await this.problems(folder, config);
    for (const p of problems) {
      const d = new vscode.Diagnostic(toRange(p.declaration), p.message, p.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Error);
      d.source = 'OTA';
      d.code = p.code;
      shown.set(p.declaration.file, [...(shown.get(p.declaration.file) ?? []), d]);
    }
    for (const uri of state?.reported ?? []) if (!shown.has(uri)) this.collection.delete(vscode.Uri.parse(uri));
    for (const [uri, list] of shown) this.collection.set(vscode.Uri.parse(uri), list);
    if (state) state.reported = new Set(shown.keys());
    return shown;
  }

  async provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    const folder = vscode.workspace.getWorkspaceFolder(document.uri)?.uri;
    if (!folder) return [];
    await this.scans.get(folder.toString());
    const uri = document.uri.toString();
    // From the buffer as it is now, so the edits line up even while the last check is pending.
    const text = document.getText();
    const { problems, config } = await this.problems(folder, undefined, { uri, text });
    const texts = new Map([...(config?.files ?? []).map((f): [string, string] => [f.file, f.text]), [uri, text]]);
    const actions: vscode.CodeAction[] = [];
    for (const p of problems) {
      const at = toRange(p.declaration);
      if (p.declaration.file !== uri || !at.intersection(range)) continue;
      const answered = context.diagnostics.filter((x) => x.source === 'OTA' && x.code === p.code && x.range.isEqual(at));
      for (const fix of p.fixes) {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = answered;
        action.isPreferred = fix.preferred === true;
        action.edit = toWorkspaceEdit(fix.edits, (f) => texts.get(f));
        actions.push(action);
      }
    }
    return actions;
  }

  /** What the config says about the PID, key or channel a declaration names. */
  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const folder = vscode.workspace.getWorkspaceFolder(document.uri)?.uri;
    if (!folder) return undefined;
    await this.scans.get(folder.toString());
    const state = this.folders.get(folder.toString());
    const config = state ? await checkFolderConfig(folder) : undefined;
    if (!state || !config) return undefined;
    const hover = sourceHoverAt(scanSource(document.uri.toString(), document.getText(), state.names), document.offsetAt(position), config);
    if (!hover) return undefined;
    return new vscode.Hover(new vscode.MarkdownString(hover.markdown), new vscode.Range(document.positionAt(hover.offset), document.positionAt(hover.offset + hover.length)));
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const d of this.disposables) d.dispose();
  }
}
