import * as vscode from 'vscode';
import type { Channel } from '../../core/config/model';
import { OtaError } from '../../core/errors';
import type { ExtensionServices } from '../context';
import { runBuildTask } from '../firmware/buildTask';
import type { BuildRun } from '../firmware/buildTask';
import { targetOf } from './commandTarget';
import { pickChannel, pickWorkspace } from './pickTarget';
import type { Workspace } from './pickTarget';
import { reportFailure } from './reportFailure';
import { StepFlow } from './steps';

/**
 * OTA: Build Firmware — the channel's build command as a VS Code task: output in its terminal,
 * compiler errors in Problems, a cancellable progress notification, and one message when it fails.
 */
export async function buildFirmware(services: ExtensionServices, arg?: unknown): Promise<BuildRun | undefined> {
  const target = targetOf(arg);
  const flow = new StepFlow(vscode.l10n.t('OTA: Build Firmware'), 2);
  let workspace: Workspace | undefined;
  try {
    workspace = await pickWorkspace(flow, target);
    if (!workspace) return undefined;
    const channel = await pickChannel(flow, workspace, target, vscode.l10n.t('Channel to build'));
    if (!channel) return undefined;
    return await buildChannel(services, workspace, channel);
  } catch (err) {
    reportFailure(services, vscode.l10n.t('Build failed'), err, workspace ? { folder: workspace.folder } : {});
    return undefined;
  }
}

/** Builds one channel under a progress notification; failures are shown here (one message) and returned. */
export async function buildChannel(services: ExtensionServices, workspace: Workspace, channel: Channel): Promise<BuildRun | undefined> {
  if (!channel.build) {
    throw new OtaError(vscode.l10n.t('channel {0} has no build command', channel.name), {
      where: workspace.sharedFile,
      code: 'build-missing',
      hint: vscode.l10n.t('Add "build": {"command": "…"} to the channel (the command you build with in a terminal).'),
    });
  }
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(workspace.folder));
  if (!folder) throw new OtaError(vscode.l10n.t('{0} is not a folder of this workspace', workspace.folder), { code: 'no-config' });
  const run = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Building {0} ({1})', channel.name, channel.build.command), cancellable: true },
    (_progress, token) => runBuildTask(services, folder, channel, token),
  );
  if (run.ok) {
    services.log.info(`built ${channel.name}: ${run.artifact} (${run.metadata.size} bytes)`);
    void vscode.commands.executeCommand('setContext', 'ota.hasBuilt', true);
    return run;
  }
  if (run.cancelled) {
    services.log.info(`build of ${channel.name} cancelled`);
    void vscode.window.showInformationMessage(vscode.l10n.t('Build of {0} cancelled.', channel.name));
    return run;
  }
  services.log.error(`build of ${channel.name} failed (exit ${run.exitCode ?? '?'}): ${run.failure.cause ?? 'no output'}`);
  void showBuildFailure(services, workspace, channel, run);
  return run;
}

/** The one message for a failed build: the line that says why, and where to go next. */
async function showBuildFailure(services: ExtensionServices, workspace: Workspace, channel: Channel, run: Extract<BuildRun, { ok: false }>): Promise<void> {
  const { failure } = run;
  const command = channel.build?.command ?? '';
  let text: string;
  if (failure.toolMissing) {
    text = vscode.l10n.t(
      'Build of {0} failed: {1}. The build command "{2}" needs a tool that is not installed or not on PATH: install the toolchain (ESP-IDF: run its export script first) or change build.command in .vscode/ota.json.',
      channel.name,
      failure.cause ?? vscode.l10n.t('exit {0}', run.exitCode ?? 127),
      command,
    );
  } else if (failure.compilerErrors > 0) {
    text = vscode.l10n.t('Build of {0} failed with {1} compiler error(s), listed in Problems. First: {2}', channel.name, failure.compilerErrors, failure.cause ?? '');
  } else {
    text = vscode.l10n.t('Build of {0} failed (exit {1}): {2}. The full output is in the build terminal.', channel.name, run.exitCode ?? '?', failure.cause ?? vscode.l10n.t('it printed nothing'));
  }
  const showProblems = vscode.l10n.t('Show Problems');
  const showLog = vscode.l10n.t('Show Log');
  const openConfig = vscode.l10n.t('Open Config');
  const buttons = failure.compilerErrors > 0 ? [showProblems, showLog] : [openConfig, showLog];
  const choice = await vscode.window.showErrorMessage(text, ...buttons);
  if (choice === showProblems) await vscode.commands.executeCommand('workbench.actions.view.problems');
  else if (choice === showLog) services.log.show(true);
  else if (choice === openConfig) await vscode.window.showTextDocument(vscode.Uri.file(workspace.sharedFile));
}
