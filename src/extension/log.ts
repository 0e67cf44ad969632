import * as vscode from 'vscode';
import type { Logger } from '../core/logger';

/** The extension's log: a LogOutputChannel the core can write to through the Logger interface. */
export function createLog(): vscode.LogOutputChannel & Logger {
  return vscode.window.createOutputChannel('OTA Workbench', { log: true });
}
