// Packs the .vsix with vsce, then lists what it holds and fails if sources, tests or fixtures
// slipped in. Run through `npm run package` (which makes the production bundles first).
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';

const { name, version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const out = `${name}-${version}.vsix`;
const vsce = new URL('../node_modules/@vscode/vsce/vsce', import.meta.url).pathname;
execFileSync(process.execPath, [vsce, 'package', '--no-yarn', '--allow-missing-repository', '--no-rewrite-relative-links', '-o', out], { stdio: 'inherit' });

const listing = execFileSync('unzip', ['-Z1', out], { encoding: 'utf8' }).trim().split('\n');
const forbidden = listing.filter((f) => /^extension\/(src|test|out|bench|webview|scripts|\.cache|\.ci)\//.test(f) || /\.(ts|map)$/.test(f) && !f.endsWith('.d.ts'));
const bytes = statSync(out).size;
console.log(`\n${out}: ${listing.length} files, ${(bytes / 1024).toFixed(0)} KiB`);
for (const f of listing.filter((f) => !f.includes('/node_modules/'))) console.log(`  ${f}`);
console.log(`  (+ ${listing.filter((f) => f.includes('/node_modules/')).length} files of run-time dependencies under node_modules/)`);
if (forbidden.length) {
  console.error(`\nthe package holds files that are not needed at run time:\n  ${forbidden.join('\n  ')}`);
  process.exit(1);
}
