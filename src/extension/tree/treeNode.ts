import type * as vscode from 'vscode';
import type { CommandTarget } from '../commands/commandTarget';

/** A row of the OTA view, built from the folder's last good config and what the disk and servers say. */
export interface TreeNode {
  /** Stable across redraws, so VS Code keeps a row expanded while live updates rebuild the tree. */
  id?: string;
  label: string;
  description?: string;
  tooltip?: string;
  icon: string;
  /** A theme color id for the icon (`testing.iconFailed`, `charts.yellow` …). */
  iconColor?: string;
  /** Where a click goes: the config file, at the value this row shows. */
  open?: { uri: vscode.Uri; offset?: number };
  /** What a click runs instead of opening the config (a why-not row binds the key). */
  command?: { command: string; title: string };
  children?: TreeNode[];
  /** Rows fetched when the node is expanded (a server's releases, deployments and devices). */
  load?: () => Promise<TreeNode[]>;
  /** Shown collapsed even with children (long lists). */
  collapsed?: boolean;
  contextValue?: string;
  /** What the row's inline and context-menu commands act on (see commands/commandTarget). */
  target?: CommandTarget;
  /** A why-not row: the key a device reports and the PID the deployment is for. */
  bind?: { pid: string; firmwareKey: string; deviceId: string; reason: string };
  /** A server row whose live children follow a watch (paused when the row collapses). */
  watchKey?: string;
}

/** A labelled group row ("Channels 2"). */
export function group(id: string, label: string, icon: string, children: TreeNode[]): TreeNode {
  return { id, label, icon, description: String(children.length), children };
}
