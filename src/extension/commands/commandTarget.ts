import * as vscode from 'vscode';

/**
 * What a command acts on. A row of the OTA view carries one (`TreeNode.target`) and VS Code hands
 * the row to the command; from the palette there is none and the command asks (folder, channel,
 * server … in titled, numbered steps). One shape for every command so the tree, the walkthrough and
 * the live view can all say "this channel of this folder" the same way.
 */
export interface CommandTarget {
  /** The workspace folder whose `.vscode/ota.json` names the channel, server, device or release. */
  readonly folder: vscode.Uri;
  readonly channel?: string;
  /** A server's `name` in the config. */
  readonly server?: string;
  readonly deviceId?: string;
  /** A release file made in the workspace (`ota release create` output). */
  readonly release?: vscode.Uri;
  /** A staged rollout's id on `server` (a rollout row under a server). */
  readonly rollout?: string;
}

/** The target a command was invoked with: a tree row (`{ target }`), a bare target, or nothing (palette). */
export function targetOf(arg: unknown): CommandTarget | undefined {
  if (isTarget(arg)) return arg;
  if (typeof arg === 'object' && arg !== null && 'target' in arg && isTarget((arg as { target: unknown }).target)) {
    return (arg as { target: CommandTarget }).target;
  }
  return undefined;
}

function isTarget(x: unknown): x is CommandTarget {
  return typeof x === 'object' && x !== null && 'folder' in x && (x as { folder: unknown }).folder instanceof vscode.Uri;
}
