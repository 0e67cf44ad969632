import * as vscode from 'vscode';
import type { ExtensionServices } from '../context';

/** Opens a config file with the cursor on the value a tree row stands for (internal: tree clicks). */
export async function revealInConfig(_services: ExtensionServices, uri: unknown, offset: unknown): Promise<void> {
  if (!(uri instanceof vscode.Uri)) return;
  const editor = await vscode.window.showTextDocument(uri, { preview: true });
  if (typeof offset === 'number') {
    const position = editor.document.positionAt(offset);
    editor.selection = new vscode.Selection(position, position);
    editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }
}
