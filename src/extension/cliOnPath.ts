import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeError } from '../core/errors';
import type { Logger } from '../core/logger';

/**
 * Puts `ota` on the PATH of VS Code's integrated terminals: a small launcher in the extension's
 * global storage runs the CLI bundled with this version of the extension, with the runtime that
 * runs the extension host (Electron as Node in desktop VS Code, Node in code-server), so it works
 * without a Node install of the user's own. Rewritten at each activation: an update moves the
 * extension's folder.
 */
export async function putCliOnTerminalPath(context: vscode.ExtensionContext, log: Logger): Promise<void> {
  const bin = vscode.Uri.joinPath(context.globalStorageUri, 'bin').fsPath;
  const cli = vscode.Uri.joinPath(context.extensionUri, 'dist', 'cli.js').fsPath;
  try {
    await mkdir(bin, { recursive: true });
    if (process.platform === 'win32') {
      await writeIfChanged(path.join(bin, 'ota.cmd'), `@echo off\r\nset ELECTRON_RUN_AS_NODE=1\r\n"${process.execPath}" "${cli}" %*\r\n`);
    } else {
      const launcher = path.join(bin, 'ota');
      await writeIfChanged(launcher, `#!/bin/sh\n# OTA Workbench's CLI, as bundled with the extension (rewritten when the extension starts).\nELECTRON_RUN_AS_NODE=1 exec ${shellQuote(process.execPath)} ${shellQuote(cli)} "$@"\n`);
      await chmod(launcher, 0o755);
    }
    const variables = context.environmentVariableCollection;
    variables.description = new vscode.MarkdownString(vscode.l10n.t('Puts `ota`, the OTA Workbench CLI bundled with the extension, on `PATH`.'));
    variables.prepend('PATH', bin + path.delimiter);
    log.info(`ota CLI on the integrated terminal's PATH (${bin})`);
  } catch (err) {
    // A terminal without `ota` is no reason to fail activation: say so and go on.
    log.warn(`could not put the ota CLI on the terminal's PATH: ${describeError(err)}`);
  }
}

async function writeIfChanged(file: string, content: string): Promise<void> {
  if ((await readFile(file, 'utf8').catch(() => undefined)) === content) return;
  await writeFile(file, content, { mode: 0o755 });
}

/** One argument for sh, whatever it holds: single quotes, with each ' written as '\''. */
function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}
