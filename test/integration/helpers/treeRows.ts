/** Reads the OTA view as a user sees it expanded, through the extension's own tree data provider. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { OtaWorkbenchApi } from '../../../src/extension/extension';
import type { TreeNode, WorkspaceTree } from '../../../src/extension/workspaceTree';
import { extensionId } from './workbench';

export interface Row {
  label: string;
  description: string;
  contextValue: string | undefined;
  node: TreeNode;
  item: vscode.TreeItem;
  children: Row[];
}

export async function otaTree(): Promise<WorkspaceTree> {
  const api = (await vscode.extensions.getExtension(extensionId)!.activate()) as OtaWorkbenchApi;
  return api.tree;
}

/** Every row, expanded (server rows load their live children, as expanding them in the view does). */
export async function treeRows(tree: WorkspaceTree, parent?: TreeNode): Promise<Row[]> {
  const nodes = await tree.getChildren(parent);
  return Promise.all(
    nodes.map(async (node) => {
      const item = tree.getTreeItem(node);
      const expandable = item.collapsibleState !== vscode.TreeItemCollapsibleState.None;
      return {
        label: typeof item.label === 'string' ? item.label : (item.label?.label ?? ''),
        description: typeof item.description === 'string' ? item.description : '',
        contextValue: item.contextValue,
        node,
        item,
        children: expandable ? await treeRows(tree, node) : [],
      };
    }),
  );
}

/** The row at a path of labels (each step: the first row whose label matches). */
export function rowAt(rows: Row[], ...path: (string | RegExp)[]): Row | undefined {
  let level = rows;
  let found: Row | undefined;
  for (const step of path) {
    found = level.find((r) => (typeof step === 'string' ? r.label === step : step.test(r.label)));
    if (!found) return undefined;
    level = found.children;
  }
  return found;
}

/** Reads the tree until `done` holds for it (live rows follow the event stream; nothing here pokes the server). */
export async function treeUntil(tree: WorkspaceTree, what: string, done: (rows: Row[]) => boolean, timeoutMs = 45_000): Promise<Row[]> {
  const deadline = Date.now() + timeoutMs;
  let rows: Row[] = [];
  while (Date.now() < deadline) {
    rows = await treeRows(tree);
    if (done(rows)) return rows;
    await new Promise((r) => setTimeout(r, 300));
  }
  assert.fail(`the OTA view never showed ${what}; it showed:\n${render(rows)}`);
}

/** The tree as indented text, for failure messages. */
export function render(rows: Row[], depth = 0): string {
  return rows.map((r) => `${'  '.repeat(depth)}${r.label} — ${r.description} [${r.contextValue ?? ''}]\n${render(r.children, depth + 1)}`).join('');
}
