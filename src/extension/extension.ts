import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { describeError, OtaError } from '../core/errors';
import { commandTable } from './commands/index';
import { ConfigPresence } from './configContext';
import { ConfigDiagnostics } from './configDiagnostics';
import type { ExtensionServices } from './context';
import { putCliOnTerminalPath } from './cliOnPath';
import { watchOwnDeprecations } from './deprecationWatch';
import { autoStartDemo } from './demo/autoStart';
import { DemoRunner } from './demo/demoRunner';
import { OtaTaskProvider, otaTaskType } from './firmware/otaTaskProvider';
import { ConsoleHub } from './live/consoleHub';
import { LiveView, liveViewType } from './live/liveView';
import type { PersistedViewState } from '../../webview/protocol';
import { registerInlineChecks } from './inline/registerInlineChecks';
import { createLog } from './log';
import { Secrets } from './secrets';
import { EmbeddedServer } from './server/embeddedServer';
import { ServerStatusBar } from './server/serverStatusBar';
import { WorkspaceTree } from './workspaceTree';
import { serverConnector, serverEventEndpoint } from './serverConnector';
import { SerialMonitors } from './serial/serialMonitors';
import { requireTrust } from './trust';
import { tickInitializeStepOnConfig } from './walkthroughProgress';

/** What the extension returns from `activate`: used by tests and by other extensions. */
export interface OtaWorkbenchApi {
  readonly activationMs: number;
  /** The OTA view's rows, as a user would see them expanded (integration tests read the tree here). */
  readonly tree: WorkspaceTree;
}

/** Kept for `deactivate`, which must wait for the simulated devices to stop. */
let demo: DemoRunner | undefined;

export function activate(context: vscode.ExtensionContext): OtaWorkbenchApi {
  const started = performance.now();
  const log = createLog();
  // The modules that also run outside VS Code (unit tests) translate with @vscode/l10n: same bundle.
  if (vscode.l10n.bundle) l10n.config({ contents: vscode.l10n.bundle });
  context.subscriptions.push(log, watchOwnDeprecations(context.extensionPath, log));
  try {
    const secrets = new Secrets(context.secrets, context.globalState);
    const tree = new WorkspaceTree(serverConnector(secrets));
    const view = vscode.window.createTreeView('ota.workspace', { treeDataProvider: tree, showCollapseAll: true });
    context.subscriptions.push(tree, view);
    const presence = new ConfigPresence(log);
    // Subscribed before the first look ends, so a config present at start-up ticks the step too.
    context.subscriptions.push(presence, tickInitializeStepOnConfig(presence, context.extension.id, log), new ConfigDiagnostics(log));
    const sources = registerInlineChecks(context, log);
    context.subscriptions.push(vscode.tasks.registerTaskProvider(otaTaskType, new OtaTaskProvider(log)));
    const server = new EmbeddedServer({ context, log, tree, secrets });
    const serial = new SerialMonitors(log);
    context.subscriptions.push(server, serial, new ServerStatusBar(server));
    tree.attach({ view, embedded: server, endpoint: serverEventEndpoint(secrets), serial });
    // Restricted Mode lifted: remote servers may be contacted now, and the trust-gated actions appear.
    context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => tree.refresh()));
    const consoles = new ConsoleHub();
    const live = new LiveView({ context, log, secrets, server, consoles });
    demo = new DemoRunner({ context, log, tree, secrets, server, consoles, live, serial, sources });
    // The demo aborts its devices on dispose; deactivate() also waits for them to stop.
    context.subscriptions.push(consoles, live, demo);
    context.subscriptions.push(
      vscode.window.registerWebviewPanelSerializer(liveViewType, {
        deserializeWebviewPanel: (panel, state) => live.restore(panel, state as PersistedViewState | undefined),
      }),
    );
    const services: ExtensionServices = { context, log, tree, secrets, server, consoles, live, demo, serial, sources };
    for (const [id, handler] of Object.entries(commandTable)) {
      context.subscriptions.push(vscode.commands.registerCommand(id, (...args: unknown[]) => runCommand(services, id, () => handler(services, ...args))));
    }
    autoStartDemo(log);
    void putCliOnTerminalPath(context, log);
    const activationMs = performance.now() - started;
    log.info(`activated in ${activationMs.toFixed(1)} ms`);
    return { activationMs, tree };
  } catch (err) {
    log.error(`activation failed: ${describeError(err)}`);
    void vscode.window.showErrorMessage(vscode.l10n.t('OTA Workbench failed to start: {0}', describeError(err)));
    throw err;
  }
}

/** Commands log failures with context and show one actionable message, never a stack trace. */
async function runCommand(services: ExtensionServices, id: string, body: () => unknown): Promise<unknown> {
  try {
    requireTrust(id);
    return await body();
  } catch (err) {
    services.log.error(`${id} failed: ${describeError(err)}`);
    if (err instanceof OtaError && err.code === 'untrusted-workspace') {
      const manage = vscode.l10n.t('Manage Workspace Trust');
      void vscode.window.showWarningMessage(describeError(err), manage).then((choice) => choice === manage && vscode.commands.executeCommand('workbench.trust.manage'));
      return undefined;
    }
    void vscode.window.showErrorMessage(describeError(err));
    return undefined;
  }
}

export async function deactivate(): Promise<void> {
  // Everything else is in context.subscriptions; the demo's devices are awaited so none is left polling.
  await demo?.stop();
}
