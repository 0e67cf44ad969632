import * as vscode from 'vscode';
import { explainBuildFailure } from '../../core/build/buildFailure';
import type { BuildFailure } from '../../core/build/buildFailure';
import { BuildExitError, runBuild } from '../../core/build/runBuild';
import type { Channel } from '../../core/config/model';
import { OtaError, describeError } from '../../core/errors';
import type { BuildMetadata } from '../../core/release/manifest';
import type { ExtensionServices } from '../context';
import { otaTaskType } from './otaTaskProvider';
import { buildProblemMatchers } from './problemMatchers';


export type BuildRun =
  | { ok: true; channel: string; artifact: string; metadata: BuildMetadata }
  | { ok: false; channel: string; cancelled: boolean; exitCode?: number; failure: BuildFailure; error: unknown };

/** The output kept for explaining a failure: the end of it is where the reason is. */
const keptOutputChars = 64 * 1024;

/**
 * Runs a channel's build as a VS Code task: the output is shown in the task's terminal as it
 * arrives, problem matchers put compiler errors into Problems, and the result (artifact, or why
 * it failed) comes back to the command. The build itself is the core's `runBuild`, the same as
 * `ota build`, so it records the build facts a release needs.
 */
/** How long a build waits for VS Code to report its task started (see runBuildTask). */
const processStartWaitMs = 15_000;

export function runBuildTask(services: ExtensionServices, folder: vscode.WorkspaceFolder, channel: Channel, token?: vscode.CancellationToken): Promise<BuildRun> {
  return new Promise<BuildRun>((resolve, reject) => {
    const abort = new AbortController();
    let output = '';
    const write = new vscode.EventEmitter<string>();
    const close = new vscode.EventEmitter<number>();
    const finish = (run: BuildRun, code: number) => {
      resolve(run);
      // The terminal parses what was written asynchronously, and the problem matchers read its
      // lines: closing at once can end the task before the last lines (the errors) are matched.
      setTimeout(() => close.fire(code), 500);
    };
    const definition = { type: otaTaskType, channel: channel.name, pid: channel.pid };
    const name = vscode.l10n.t('build {0}', channel.name);
    // The task system reads the terminal's lines for its problem matchers only once it has
    // reported the process started; output written before that (a fast build's whole output) is
    // shown but never matched. So the build waits for that event. It comes within a second or
    // two, later on a busy machine: the bound is only for a VS Code that never sends it (3 s was
    // too short under load, and the compiler errors then never reached Problems).
    const processStarted = new Promise<void>((ready) => {
      const timer = setTimeout(() => {
        services.log.warn(`build ${channel.name}: VS Code did not report the task started within ${processStartWaitMs / 1000} s; compiler errors may not reach Problems`);
        subscription.dispose();
        ready();
      }, processStartWaitMs);
      const subscription = vscode.tasks.onDidStartTaskProcess((e) => {
        const t = e.execution.task;
        if (t.source !== 'ota' || t.name !== name || (t.definition as typeof definition).channel !== channel.name) return;
        clearTimeout(timer);
        subscription.dispose();
        ready();
      });
    });
    const pty: vscode.Pseudoterminal = {
      onDidWrite: write.event,
      onDidClose: close.event,
      open: () => void processStarted.then(start),
      // The user closed the terminal or the task was terminated: stop the build's process group.
      close: () => abort.abort(),
    };
    const start = () => {
      write.fire(`> ${channel.build?.command ?? ''}\r\n`);
      runBuild(channel, folder.uri.fsPath, {
        env: process.env,
        signal: abort.signal,
        log: services.log,
        onOutput: (text) => {
          output = (output + text).slice(-keptOutputChars);
          write.fire(text.replace(/\r?\n/g, '\r\n'));
        },
      }).then(
        (outcome) => {
          write.fire(`\r\n${vscode.l10n.t('Built {0}: {1} ({2} bytes)', channel.name, outcome.artifact, outcome.metadata.size ?? 0)}\r\n`);
          finish({ ok: true, channel: channel.name, artifact: outcome.artifact, metadata: outcome.metadata }, 0);
        },
        (error: unknown) => {
          const cancelled = abort.signal.aborted || (error instanceof OtaError && error.code === 'cancelled');
          const exitCode = error instanceof BuildExitError ? error.exitCode : undefined;
          write.fire(`\r\n${cancelled ? vscode.l10n.t('Build cancelled.') : describeError(error).replace(/\n/g, '\r\n')}\r\n`);
          const failure = explainBuildFailure(output, exitCode ?? 1);
          finish({ ok: false, channel: channel.name, cancelled, ...(exitCode !== undefined ? { exitCode } : {}), failure, error }, exitCode ?? 1);
        },
      );
    };
    const task = new vscode.Task(definition, folder, name, 'ota', new vscode.CustomExecution(() => Promise.resolve(pty)), buildProblemMatchers);
    task.group = vscode.TaskGroup.Build;
    task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, clear: true, panel: vscode.TaskPanelKind.Dedicated, showReuseMessage: false };
    task.detail = channel.build?.command ?? '';
    vscode.tasks.executeTask(task).then(
      (execution) => token?.onCancellationRequested(() => {
        abort.abort();
        execution.terminate();
      }),
      reject,
    );
  });
}
