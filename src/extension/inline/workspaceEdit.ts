import * as vscode from 'vscode';
import type { TextEdit } from '../../core/checks/textEdit';
import { LineIndex } from '../../core/config/diagnostic';

/**
 * Turns core text edits (offsets into the texts the checks read, files named by URI string) into
 * a WorkspaceEdit. `textOf` gives each file's text as it was checked, so offsets map to the same
 * positions the buffer has.
 */
export function toWorkspaceEdit(edits: readonly TextEdit[], textOf: (file: string) => string | undefined): vscode.WorkspaceEdit {
  const workspaceEdit = new vscode.WorkspaceEdit();
  const indexes = new Map<string, LineIndex>();
  const position = (file: string, offset: number): vscode.Position => {
    let index = indexes.get(file);
    if (!index) {
      index = new LineIndex(textOf(file) ?? '');
      indexes.set(file, index);
    }
    const p = index.position(offset);
    return new vscode.Position(p.line - 1, p.column - 1);
  };
  for (const e of edits) {
    const range = new vscode.Range(position(e.file, e.offset), position(e.file, e.offset + e.length));
    workspaceEdit.replace(vscode.Uri.parse(e.file), range, e.content);
  }
  return workspaceEdit;
}

/** The editor range of a 1-based line/column span, as the core reports them. */
export function toRange(s: { line: number; column: number; endLine: number; endColumn: number }): vscode.Range {
  return new vscode.Range(s.line - 1, s.column - 1, s.endLine - 1, s.endColumn - 1);
}
