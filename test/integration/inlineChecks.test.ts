import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extensionId, otaDiagnostics, replaceIn, waitForDiagnostics } from './helpers/workbench';


async function quickFixes(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  const list = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', uri, range, vscode.CodeActionKind.QuickFix.value);
  return list.filter((a): a is vscode.CodeAction => 'title' in a && !('command' in a && typeof a.command === 'string'));
}


/** Drops unsaved changes of a document by reverting it in an editor. */
async function revert(uri: vscode.Uri): Promise<void> {
  await vscode.window.showTextDocument(uri);
  await vscode.commands.executeCommand('workbench.action.files.revert');
}

/**
 * Commands show their failure and return undefined; the reason is in the extension's log, which
 * the integration host writes under its throw-away profile (os.tmpdir()/ota-vscode-*).
 */
async function commandFailures(): Promise<string> {
  const fs = await import('node:fs/promises');
  const os = await import('node:os');
  const path = await import('node:path');
  const found: string[] = [];
  for (const scratch of (await fs.readdir(os.tmpdir())).filter((d) => d.startsWith('ota-vscode-'))) {
    const files = await fs.readdir(path.join(os.tmpdir(), scratch), { recursive: true }).catch(() => [] as string[]);
    for (const f of files.filter((x) => x.endsWith('.log'))) {
      const text = await fs.readFile(path.join(os.tmpdir(), scratch, f), 'utf8').catch(() => '');
      found.push(...text.split('\n').filter((l) => l.includes('failed')));
    }
  }
  return found.slice(-5).join('\n') || '(no log found)';
}

describe('inline key/channel checks: quick fixes, hovers and firmware sources', () => {
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

  it('a mismatched key in the config offers the quick fixes; "Bind KEY to PID" clears it and keeps the comments', async () => {
    const doc = (await vscode.window.showTextDocument(configUri)).document;
    const original = doc.getText();
    try {
      await replaceIn(doc, '"firmwareKey": "plug-key-2024"', '"firmwareKey": "plug-key-2099"');
      const [diagnostic] = await waitForDiagnostics(configUri, (l) => l.some((d) => d.code === 'key-not-bound'), 'key-not-bound');
      const actions = await quickFixes(configUri, diagnostic!.range);
      // VS Code lists the preferred fix first: 2099 is two characters off 2024, so likely a typo.
      assert.deepEqual(
        actions.map((a) => [a.title, a.isPreferred === true]),
        [
          ['Use bound key plug-key-2024', true],
          ['Bind plug-key-2099 to PID plug01', false],
          ['Use bound key plug-key-2023', false],
        ],
      );
      const bind = actions[1]!;
      assert.ok(bind.edit, 'the fix carries its edit');
      assert.ok(await vscode.workspace.applyEdit(bind.edit));
      await waitForDiagnostics(configUri, (l) => l.length === 0, 'the diagnostic to clear after binding');
      const text = doc.getText();
      assert.match(text, /"firmwareKeys": \["plug-key-2024", "plug-key-2023", "plug-key-2099"\]/);
      for (const comment of ['// OTA config of the sample ESP-IDF workspace', '// plug-key-2023 stays bound: the first fleet shipped with it.']) assert.ok(text.includes(comment), comment);
      assert.equal(text.length, original.length + ', "plug-key-2099"'.length);
    } finally {
      await revert(configUri);
    }
  });

  it('hovers say which products, channels and devices use a PID or key', async () => {
    const doc = await vscode.workspace.openTextDocument(configUri);
    const at = (needle: string) => doc.positionAt(doc.getText().indexOf(needle) + 2);
    const text = async (position: vscode.Position) => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', configUri, position);
      return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
    };
    const pid = await text(at('"plug01"'));
    assert.match(pid, /\*\*PID `plug01`\*\* — Smart Plug/);
    assert.match(pid, /Channels: `main` \(key `plug-key-2024`\)/);
    assert.match(pid, /Devices expecting it: `bench-plug`/);
    assert.match(await text(at('"plug-key-2023"')), /Bound to: Smart Plug \(`plug01`\)/);
  });

  it('a mismatched #define OTA_FW_KEY in a C file is underlined at the string, and both fixes work', async () => {
    const header = vscode.Uri.joinPath(folder, 'main', 'ota_test_ids.h');
    const source = '/* test */\n#define OTA_CHANNEL "main"\n#define OTA_FW_KEY "plug-key-1999"\n';
    await vscode.workspace.fs.writeFile(header, new TextEncoder().encode(source));
    try {
      const doc = (await vscode.window.showTextDocument(header)).document;
      const [d, ...rest] = await waitForDiagnostics(header, (l) => l.some((x) => x.code === 'key-not-bound'), 'key-not-bound in the header');
      assert.equal(rest.length, 0);
      const column = '#define OTA_FW_KEY '.length;
      assert.deepEqual([d!.range.start.line, d!.range.start.character, d!.range.end.line, d!.range.end.character], [2, column, 2, column + '"plug-key-1999"'.length]);
      assert.match(d!.message, /OTA_FW_KEY: firmware key "plug-key-1999" is not bound to PID "plug01", which channel "main" uses/);
      // The sample's own main.c agrees with the config.
      assert.deepEqual(otaDiagnostics(vscode.Uri.joinPath(folder, 'main', 'main.c')), []);

      const actions = await quickFixes(header, d!.range);
      assert.deepEqual(
        actions.map((a) => [a.title, a.isPreferred === true]),
        [
          ["Change to the channel's key plug-key-2024", true],
          ['Bind plug-key-1999 to PID plug01 in ota.json', false],
          ['Use bound key plug-key-2023', false],
        ],
      );
      // Binding edits the config (another file) and clears the header's diagnostic.
      assert.ok(await vscode.workspace.applyEdit(actions[1]!.edit!));
      await waitForDiagnostics(header, (l) => l.length === 0, 'the header diagnostic to clear after binding');
      assert.match((await vscode.workspace.openTextDocument(configUri)).getText(), /"plug-key-2023", "plug-key-1999"\]/);
      await revert(configUri);
      const [again] = await waitForDiagnostics(header, (l) => l.length === 1, 'the diagnostic back once the config is reverted');

      const change = (await quickFixes(header, again!.range)).find((a) => a.title === "Change to the channel's key plug-key-2024")!;
      assert.ok(await vscode.workspace.applyEdit(change.edit!));
      assert.equal(doc.getText(), source.replace('plug-key-1999', 'plug-key-2024'));
      await waitForDiagnostics(header, (l) => l.length === 0, 'the header diagnostic to clear after changing the key');
      await doc.save();
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(header).then(undefined, () => undefined);
    }
  });

  it('"Move to Secret Storage" replaces a literal credential in ota.local.json with its reference', async () => {
    const localUri = vscode.Uri.joinPath(folder, '.vscode', 'ota.local.json');
    const text = '{\n  // mine\n  "servers": [{ "type": "hawkbit", "name": "hb", "url": "https://hb.example", "tenant": "DEFAULT", "credential": "hunter2" }]\n}\n';
    await vscode.workspace.fs.writeFile(localUri, new TextEncoder().encode(text));
    try {
      const [d] = await waitForDiagnostics(localUri, (l) => l.some((x) => x.code === 'literal-secret'), 'literal-secret');
      // Code actions are asked of an open document, as the editor's light bulb does.
      const doc = (await vscode.window.showTextDocument(localUri)).document;
      const [move, ...others] = await quickFixes(localUri, d!.range);
      assert.equal(others.length, 0);
      assert.equal(move!.title, 'Move to Secret Storage as ${secret:hb-credential}');
      assert.ok(!JSON.stringify(move).includes('hunter2'), 'the value is not carried by the action');
      assert.equal(move!.edit, undefined);
      // The action runs the command with the folder and the merged path (servers[1], after the shared "local").
      assert.deepEqual([move!.command?.command, move!.command?.arguments], ['ota.moveSecretToStorage', [folder.toString(), ['servers', 1, 'credential']]]);
      const name = await vscode.commands.executeCommand<string>(move!.command!.command, ...move!.command!.arguments!);
      if (name === undefined) assert.fail(`the command failed: ${await commandFailures()}`);
      assert.equal(name, 'hb-credential');
      assert.equal(doc.getText(), text.replace('"hunter2"', '"${secret:hb-credential}"'));
      await waitForDiagnostics(localUri, (l) => l.length === 0, 'literal-secret to clear');
      await doc.save();

      // A name that already holds another value is not overwritten; the same value reuses it.
      for (const [value, expected] of [['swordfish', 'hb-credential-2'], ['hunter2', 'hb-credential']] as const) {
        await vscode.workspace.fs.writeFile(localUri, new TextEncoder().encode(text.replace('hunter2', value)));
        await waitForDiagnostics(localUri, (l) => l.some((x) => x.code === 'literal-secret'), `literal-secret for ${expected}`);
        const stored = await vscode.commands.executeCommand<string>('ota.moveSecretToStorage', folder.toString(), ['servers', 1, 'credential']);
        if (stored === undefined) assert.fail(`the command failed: ${await commandFailures()}`);
        assert.equal(stored, expected);
        assert.equal(doc.getText(), text.replace('"hunter2"', `"\${secret:${expected}}"`));
        // Cleared before the next round, so its wait sees that round's diagnostic, not this one's.
        await waitForDiagnostics(localUri, (l) => l.length === 0, `literal-secret to clear after ${expected}`);
        await doc.save();
      }
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(localUri).then(undefined, () => undefined);
    }
  });
});
