import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import { promisify } from 'node:util';
import { repoPath } from '../../helpers/fixtures';

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
