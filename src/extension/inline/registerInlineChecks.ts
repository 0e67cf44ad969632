import * as vscode from 'vscode';
import type { Logger } from '../../core/logger';
import { sourceFileGlob } from '../../core/checks/sourcePatterns';
import { ConfigCodeActions } from './configCodeActions';
import { ConfigHoverProvider } from './configHover';
import { SourceChecks } from './sourceChecks';

const configFiles: vscode.DocumentSelector = [
  { scheme: 'file', pattern: '**/.vscode/ota.json' },
  { scheme: 'file', pattern: '**/.vscode/ota.local.json' },
];

/**
 * Why a device is not offered an update, inline: quick fixes and hovers in the config (its
 * diagnostics come from ConfigDiagnostics), diagnostics, quick fixes and hovers in firmware sources.
 */
export function registerInlineChecks(context: vscode.ExtensionContext, log: Logger): SourceChecks {
  const sources = new SourceChecks(log);
  context.subscriptions.push(
    vscode.languages.registerCodeActionsProvider(configFiles, new ConfigCodeActions(), ConfigCodeActions.metadata),
    vscode.languages.registerHoverProvider(configFiles, new ConfigHoverProvider()),
    sources,
    vscode.languages.registerCodeActionsProvider({ scheme: 'file', pattern: sourceFileGlob }, sources, SourceChecks.metadata),
    vscode.languages.registerHoverProvider({ scheme: 'file', pattern: sourceFileGlob }, sources),
  );
  return sources;
}
