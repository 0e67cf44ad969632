import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extensionId, otaDiagnostics, replaceIn, waitForDiagnostics } from './helpers/workbench';


describe('live diagnostics for the OTA config', () => {
  let folder: vscode.Uri;
  let configUri: vscode.Uri;

  before(async () => {
    await vscode.extensions.getExtension(extensionId)!.activate();
    folder = vscode.workspace.workspaceFolders![0]!.uri;
    configUri = vscode.Uri.joinPath(folder, '.vscode', 'ota.json');
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens the config as JSON with comments, with no OTA diagnostics for the sample', async () => {
    const editor = await vscode.window.showTextDocument(configUri);
    // Plain "json" would flag the comments the starter config and the sample contain.
    assert.equal(editor.document.languageId, 'jsonc');
    await waitForDiagnostics(configUri, (l) => l.length === 0, 'no diagnostics');
  });

  it('an unbound firmware key is underlined while typing, and fixing it clears it', async () => {
    const editor = await vscode.window.showTextDocument(configUri);
    const doc = editor.document;
    const range = await replaceIn(doc, '"firmwareKey": "plug-key-2024"', '"firmwareKey": "plug-key-2099"');
    // The diagnostic covers the value, quotes included: "plug-key-2099".
    const valueStart = range.start.translate(0, '"firmwareKey": '.length);
    const expected = new vscode.Range(valueStart, valueStart.translate(0, '"plug-key-2099"'.length));
    const [diagnostic, ...rest] = await waitForDiagnostics(configUri, (l) => l.some((d) => d.code === 'key-not-bound'), 'key-not-bound');
    assert.equal(rest.length, 0);
    assert.equal(diagnostic!.severity, vscode.DiagnosticSeverity.Error);
    assert.deepEqual([diagnostic!.range.start.line, diagnostic!.range.start.character, diagnostic!.range.end.line, diagnostic!.range.end.character], [
      expected.start.line,
      expected.start.character,
      expected.end.line,
      expected.end.character,
    ]);
    assert.match(diagnostic!.message, /firmware key "plug-key-2099" is not bound to PID "plug01"/);
    assert.ok(doc.isDirty, 'checked from the unsaved buffer');

    await replaceIn(doc, '"plug-key-2099"', '"plug-key-2023"');
    await waitForDiagnostics(configUri, (l) => l.length === 0, 'the diagnostic to clear');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('a literal secret in ota.local.json is reported in that file, and removing the file clears it', async () => {
    const localUri = vscode.Uri.joinPath(folder, '.vscode', 'ota.local.json');
    const text = '{\n  "servers": [{ "type": "hawkbit", "name": "hb", "url": "https://hb.example", "tenant": "DEFAULT", "credential": "hunter2" }]\n}\n';
    await vscode.workspace.fs.writeFile(localUri, new TextEncoder().encode(text));
    try {
      const [d] = await waitForDiagnostics(localUri, (l) => l.some((x) => x.code === 'literal-secret'), 'literal-secret in ota.local.json');
      const column = text.split('\n')[1]!.indexOf('"hunter2"');
      assert.deepEqual([d!.range.start.line, d!.range.start.character], [1, column]);
      assert.match(d!.message, /servers\[0\]\.credential holds a literal credential/);
      assert.deepEqual(otaDiagnostics(configUri), []);
    } finally {
      await vscode.workspace.fs.delete(localUri);
    }
    await waitForDiagnostics(localUri, (l) => l.length === 0, 'ota.local.json diagnostics to clear');
  });

  it('"OTA: Initialize Workspace" writes a starter config for a folder, opens it, and flags its placeholders', async () => {
    const sub = vscode.Uri.joinPath(folder, 'init-test-make');
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(sub, 'Makefile'), new TextEncoder().encode('all:\n\techo build\n'));
    try {
      const written = await vscode.commands.executeCommand<vscode.Uri | undefined>('ota.initWorkspace', sub);
      assert.ok(written);
      assert.ok(written.path.endsWith('/init-test-make/.vscode/ota.json'));
      assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), written.toString());
      assert.match(vscode.window.activeTextEditor!.document.getText(), /"command": "make"/);
      const warnings = await waitForDiagnostics(written, (l) => l.length === 4, 'placeholder warnings');
      assert.ok(warnings.every((w) => w.code === 'placeholder' && w.severity === vscode.DiagnosticSeverity.Warning));
      // Deleting the folder as the explorer does clears what was shown for the config inside it.
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const edit = new vscode.WorkspaceEdit();
      edit.deleteFile(sub, { recursive: true });
      assert.ok(await vscode.workspace.applyEdit(edit));
      await waitForDiagnostics(written, (l) => l.length === 0, 'diagnostics of the deleted config to clear');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(sub, { recursive: true }).then(undefined, () => undefined);
    }
  });
});
