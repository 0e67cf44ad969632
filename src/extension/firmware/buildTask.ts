import * as path from 'node:path';
import * as vscode from 'vscode';
import { explainBuildFailure } from '../../core/build/buildFailure';
import type { BuildFailure } from '../../core/build/buildFailure';
import { BuildExitError, runBuild } from '../../core/build/runBuild';
import { compilerMessages } from '../../core/build/compilerMessages';
import type { CompilerMessage, ProblemMatcher } from '../../core/build/compilerMessages';
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

/** How long a build waits for VS Code to report its task started (see runBuildTask). */
const processStartWaitMs = 15_000;

/**
 * Runs a channel's build as a VS Code task: the output is shown in the task's terminal as it
 * arrives, problem matchers put compiler errors into Problems, and the result (artifact, or why
 * it failed) comes back to the command. The build itself is the core's `runBuild`, the same as
 * `ota build`, so it records the build facts a release needs.
 */
export function runBuildTask(services: ExtensionServices, folder: vscode.WorkspaceFolder, channel: Channel, token?: vscode.CancellationToken): Promise<BuildRun> {
  clearMissedProblems(folder);
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
      const messages = compilerMessages(output, contributedMatchers(services));
      if (messages.length) pendingChecks.set(folder.uri.toString(), setTimeout(() => addMissedProblems(services, folder, messages), missedProblemsAfterMs));
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

/** How long after a build ends its compiler messages must be in Problems before they are added here. */
const missedProblemsAfterMs = 3000;
/** Compiler messages the task's problem matchers did not put into Problems, per file. */
let missed: vscode.DiagnosticCollection | undefined;
/** The check of a folder's last build, until it runs: a new build of the folder cancels it. */
const pendingChecks = new Map<string, NodeJS.Timeout>();

/**
 * The task's problem matchers read the terminal's lines, and now and then (seen in a long run of
 * the host tests, never reproduced alone) they read none of a build's output: the error was in
 * the terminal and the message said "listed in Problems", but Problems stayed empty. What the
 * build printed is checked against Problems a few seconds after it ends, and what is missing is
 * added under the same source. A matcher that reports late replaces these (see below).
 */
function addMissedProblems(services: ExtensionServices, folder: vscode.WorkspaceFolder, messages: CompilerMessage[]): void {
  pendingChecks.delete(folder.uri.toString());
  const byFile = new Map<string, vscode.Diagnostic[]>();
  for (const m of messages) {
    const uri = vscode.Uri.file(path.isAbsolute(m.file) ? m.file : path.join(folder.uri.fsPath, m.file));
    if (shown(uri, m)) continue;
    const at = new vscode.Position(m.line - 1, Math.max(0, (m.column ?? 1) - 1));
    const severity = m.severity === 'error' ? vscode.DiagnosticSeverity.Error : m.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information;
    const diagnostic = new vscode.Diagnostic(new vscode.Range(at, at), m.message, severity);
    diagnostic.source = m.source ?? 'build';
    const list = byFile.get(uri.toString()) ?? [];
    list.push(diagnostic);
    byFile.set(uri.toString(), list);
  }
  if (!byFile.size) return;
  if (!missed) {
    const collection = (missed = vscode.languages.createDiagnosticCollection('ota-build-output'));
    services.context.subscriptions.push(
      collection,
      // The matcher's own markers arrived after all: drop ours for that file, so nothing shows twice.
      vscode.languages.onDidChangeDiagnostics((e) => {
        for (const uri of e.uris) if (collection.has(uri) && shownTwice(uri, collection.get(uri) ?? [])) collection.delete(uri);
      }),
      { dispose: () => (missed = undefined) },
    );
  }
  for (const [uri, list] of byFile) missed.set(vscode.Uri.parse(uri), list);
  services.log.info(`build: ${[...byFile.values()].flat().length} compiler message(s) the problem matchers did not report were added to Problems`);
}

/** The problem matchers this extension contributes (package.json), which the build task uses. */
function contributedMatchers(services: ExtensionServices): ProblemMatcher[] {
  return (services.context.extension.packageJSON as { contributes: { problemMatchers: ProblemMatcher[] } }).contributes.problemMatchers;
}

function shown(uri: vscode.Uri, m: CompilerMessage): boolean {
  return vscode.languages.getDiagnostics(uri).some((d) => d.range.start.line === m.line - 1 && d.message.includes(m.message));
}

/** One of `ours` is now also in Problems from another owner (the same line and message twice). */
function shownTwice(uri: vscode.Uri, ours: readonly vscode.Diagnostic[]): boolean {
  const all = vscode.languages.getDiagnostics(uri);
  return ours.some((o) => all.filter((d) => d.range.start.line === o.range.start.line && d.message === o.message).length > 1);
}

/** A new build of the folder: what its last build left here is out of date (the matchers clear theirs too). */
function clearMissedProblems(folder: vscode.WorkspaceFolder): void {
  // The last build's messages are about to be out of date: checking them after this build's
  // matchers cleared theirs would bring them back.
  clearTimeout(pendingChecks.get(folder.uri.toString()));
  pendingChecks.delete(folder.uri.toString());
  missed?.forEach((uri) => {
    if (vscode.workspace.getWorkspaceFolder(uri)?.uri.toString() === folder.uri.toString()) missed?.delete(uri);
  });
}
