import * as vscode from 'vscode';
import { configHoverAt } from '../../core/checks/configHover';
import { checkFolderConfig, configFolder } from '../configSources';

/** Hovers on PIDs, firmware keys and channel names in the config: which products, channels and devices use them. */
export class ConfigHoverProvider implements vscode.HoverProvider {
  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const folder = configFolder(document.uri);
    const result = folder ? await checkFolderConfig(folder) : undefined;
    if (!result) return undefined;
    const hover = configHoverAt(result, document.uri.toString(), document.offsetAt(position));
    if (!hover) return undefined;
    const range = new vscode.Range(document.positionAt(hover.offset), document.positionAt(hover.offset + hover.length));
    return new vscode.Hover(new vscode.MarkdownString(hover.markdown), range);
  }
}
