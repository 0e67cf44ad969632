import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { repoPath } from '../../helpers/fixtures';
import { findUntranslated } from './untranslated';

describe('translatable strings', () => {
  it('every %key% of package.json has its English in package.nls.json, and no key there is unused', () => {
    const manifest = fs.readFileSync(repoPath('package.json'), 'utf8');
    const nls = JSON.parse(fs.readFileSync(repoPath('package.nls.json'), 'utf8')) as Record<string, string>;
    const used = new Set([...manifest.matchAll(/"%([^"%]+)%"/g)].map((m) => m[1]!));
    assert.ok(used.size > 20, `only ${used.size} keys in package.json`);
    assert.deepEqual([...used].filter((k) => !(k in nls)), [], 'keys without English');
    assert.deepEqual(Object.keys(nls).filter((k) => !used.has(k)), [], 'English nobody uses');
    // Every command title and the welcome text go through the file (none left in plain English).
    const parsed = JSON.parse(manifest) as { contributes: { commands: { title: string; category: string }[] } };
    assert.deepEqual(parsed.contributes.commands.filter((c) => !/^%.+%$/.test(c.title) || !/^%.+%$/.test(c.category)), []);
  });

  it('l10n/bundle.l10n.json lists every l10n.t() message of the extension and the live view (scripts/l10n-export.mjs --check)', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [repoPath('scripts', 'l10n-export.mjs'), '--check']);
    assert.match(stdout, /\d+ messages, up to date/);
  });
});

describe('untranslated messages in the extension', () => {
  it('finds a plain or template message, pick, prompt, progress title and tree text, and passes translated ones', () => {
    const sample = [
      "void vscode.window.showInformationMessage('Stored it.');", // 1
      'void vscode.window.showWarningMessage(`Port ${port} is busy`);', // 2
      'const a = await vscode.window.showQuickPick(items, { placeHolder: vscode.l10n.t(\'Channel to release\') });', // 3: fine
      "const b = await vscode.window.showInputBox({ prompt: 'Secret name' });", // 4
      "withCancellableProgress(`Signing ${file}`, run);", // 5
      "const node = { label: vscode.l10n.t('Products'), description: 'firmware key', icon: 'key' };", // 6: description
      'item.text = `$(radio-tower) OTA ${host}:${port}`;', // 7: fine
      "item.tooltip = 'Click to start it.';", // 8
      "void vscode.window.showErrorMessage(", // 9
      "  ok ? vscode.l10n.t('Done.') : 'Failed.',", // 10
      ');', // 11
      "const c = { label: `$(add) ${vscode.l10n.t('Another name…')}`, description: kind === 'local' ? vscode.l10n.t('local') : `${s.type} ${s.url}` };", // 12: fine
      "log.info(`demo: releasing ${artifact}`);", // 13: a log, fine
    ].join('\n');
    assert.deepEqual(
      findUntranslated(sample).map((u) => u.line),
      [1, 2, 4, 5, 6, 8, 10],
    );
  });

  it('src/extension has no user-facing text outside l10n.t() (file:line of each)', () => {
    const root = repoPath('src', 'extension');
    const problems: string[] = [];
    const visit = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) visit(file);
        else if (entry.name.endsWith('.ts')) {
          for (const u of findUntranslated(fs.readFileSync(file, 'utf8'))) problems.push(`${path.relative(repoPath(), file)}:${u.line}: ${u.text}`);
        }
      }
    };
    visit(root);
    assert.deepEqual(problems, [], 'wrap these in vscode.l10n.t() with {0} placeholders, then run node scripts/l10n-export.mjs');
  });
});
