import * as vscode from 'vscode';
import { buildTaskSpec } from '../../core/build/buildTaskSpec';
import { loadWorkspaceConfig } from '../../core/config/loader';
import type { Channel } from '../../core/config/model';
import { describeError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import { buildProblemMatchers } from './problemMatchers';

export const otaTaskType = 'ota';

/** The task definition contributed in package.json (`taskDefinitions`). */
interface OtaTaskDefinition extends vscode.TaskDefinition {
  type: typeof otaTaskType;
  channel: string;
  pid?: string;
}

/**
 * Offers each channel's build as a task of type `ota`, run as a shell task with our problem
 * matchers (gcc style, CMake, devicetree: package.json `problemMatchers`) so compiler errors land in Problems. tasks.json entries of type `ota` are
 * resolved the same way.
 */
export class OtaTaskProvider implements vscode.TaskProvider {
  constructor(private readonly log: Logger) {}

  async provideTasks(): Promise<vscode.Task[]> {
    const tasks: vscode.Task[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const channels = await this.channels(folder);
      for (const channel of channels) {
        const task = this.makeTask(folder, channel, { type: otaTaskType, channel: channel.name, pid: channel.pid });
        if (task) tasks.push(task);
      }
    }
    return tasks;
  }

  async resolveTask(task: vscode.Task): Promise<vscode.Task | undefined> {
    const definition = task.definition as OtaTaskDefinition;
    const folder = typeof task.scope === 'object' ? task.scope : vscode.workspace.workspaceFolders?.[0];
    if (!folder || typeof definition.channel !== 'string') return undefined;
    const channel = (await this.channels(folder)).find((c) => c.name === definition.channel && (definition.pid === undefined || c.pid === definition.pid));
    return channel ? this.makeTask(folder, channel, definition) : undefined;
  }

  private async channels(folder: vscode.WorkspaceFolder): Promise<Channel[]> {
    if (folder.uri.scheme !== 'file') return [];
    try {
      return (await loadWorkspaceConfig(folder.uri.fsPath)).config?.channels ?? [];
    } catch {
      return []; // No config in this folder.
    }
  }

  private makeTask(folder: vscode.WorkspaceFolder, channel: Channel, definition: OtaTaskDefinition): vscode.Task | undefined {
    let spec;
    try {
      spec = buildTaskSpec(channel, folder.uri.fsPath, process.env);
    } catch (err) {
      this.log.warn(`no build task for channel ${channel.name}: ${describeError(err)}`);
      return undefined;
    }
    if (!spec) return undefined;
    const task = new vscode.Task(definition, folder, spec.label, otaTaskType, new vscode.ShellExecution(spec.command, { cwd: spec.cwd, env: spec.env }), buildProblemMatchers);
    task.group = vscode.TaskGroup.Build;
    task.detail = spec.command;
    return task;
  }
}
