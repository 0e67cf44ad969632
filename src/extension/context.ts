import type * as vscode from 'vscode';
import type { Logger } from '../core/logger';
import type { DemoRunner } from './demo/demoRunner';
import type { SourceChecks } from './inline/sourceChecks';
import type { ConsoleHub } from './live/consoleHub';
import type { LiveView } from './live/liveView';
import type { Secrets } from './secrets';
import type { SerialMonitors } from './serial/serialMonitors';
import type { EmbeddedServer } from './server/embeddedServer';
import type { WorkspaceTree } from './workspaceTree';

/** What commands need from the running extension. */
export interface ExtensionServices {
  readonly context: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel & Logger;
  readonly tree: WorkspaceTree;
  readonly secrets: Secrets;
  readonly server: EmbeddedServer;
  readonly consoles: ConsoleHub;
  readonly live: LiveView;
  readonly demo: DemoRunner;
  readonly serial: SerialMonitors;
  /** The inline checks of firmware sources, for "OTA: Check Sources". */
  readonly sources: SourceChecks;
}
