import type * as vscode from 'vscode';
import type { Logger } from '../core/logger';
import type { Secrets } from './secrets';
import type { EmbeddedServer } from './server/embeddedServer';
import type { WorkspaceTree } from './workspaceTree';

/** What commands need from the running extension. */
export interface ExtensionServices {
  readonly context: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel & Logger;
  readonly tree: WorkspaceTree;
  readonly secrets: Secrets;
  readonly server: EmbeddedServer;
}
