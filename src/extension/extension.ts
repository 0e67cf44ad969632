import * as vscode from 'vscode';
import { describeError } from '../core/errors';
import { commandTable } from './commands/index';
import { ConfigDiagnostics } from './configDiagnostics';
import type { ExtensionServices } from './context';
import { OtaTaskProvider, otaTaskType } from './firmware/otaTaskProvider';
import { createLog } from './log';
import { Secrets } from './secrets';
import { EmbeddedServer } from './server/embeddedServer';
import { WorkspaceTree } from './workspaceTree';

/** What the extension returns from `activate`: used by tests and by other extensions. */
export interface OtaWorkbenchApi {
  readonly activationMs: number;
}

export function activate(context: vscode.ExtensionContext): OtaWorkbenchApi {
  const started = performance.now();
  const log = createLog();
  context.subscriptions.push(log);
  try {
    const tree = new WorkspaceTree();
    context.subscriptions.push(tree, vscode.window.registerTreeDataProvider('ota.workspace', tree));
    context.subscriptions.push(new ConfigDiagnostics(log));
    context.subscriptions.push(vscode.tasks.registerTaskProvider(otaTaskType, new OtaTaskProvider(log)));
    const secrets = new Secrets(context.secrets);
    const server = new EmbeddedServer({ context, log, tree, secrets });
    context.subscriptions.push(server);
    const services: ExtensionServices = { context, log, tree, secrets, server };
    for (const [id, handler] of Object.entries(commandTable)) {
      context.subscriptions.push(vscode.commands.registerCommand(id, (...args: unknown[]) => runCommand(services, id, () => handler(services, ...args))));
    }
    const activationMs = performance.now() - started;
    log.info(`activated in ${activationMs.toFixed(1)} ms`);
    return { activationMs };
  } catch (err) {
    log.error(`activation failed: ${describeError(err)}`);
    void vscode.window.showErrorMessage(`OTA Workbench failed to start: ${describeError(err)}`);
    throw err;
  }
}

/** Commands log failures with context and show one actionable message, never a stack trace. */
async function runCommand(services: ExtensionServices, id: string, body: () => unknown): Promise<unknown> {
  try {
    return await body();
  } catch (err) {
    services.log.error(`${id} failed: ${describeError(err)}`);
    void vscode.window.showErrorMessage(describeError(err));
    return undefined;
  }
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}
