// Writes l10n/bundle.l10n.json: every string the extension and its webview pass to l10n.t(), in
// English, the file translators copy to bundle.l10n.<language>.json. The webview's strings are in
// the same bundle because the host hands VS Code's loaded bundle to the page.
// Usage: node scripts/l10n-export.mjs [--check]   (--check: fail if the committed file is stale)
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const sourceDirs = ['src/extension', 'webview'];
const bundleFile = join(root, 'l10n', 'bundle.l10n.json');

function* sources(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(file);
    else if (entry.name.endsWith('.ts')) yield file;
  }
}

/** The message of each `l10n.t(` call; a message that is not a plain string literal is an error (it could not be translated). */
export function messages(text, where) {
  const found = [];
  const problems = [];
  for (const call of text.matchAll(/\bl10n\.t\(\s*/g)) {
    const start = call.index + call[0].length;
    const quote = text[start];
    if (quote !== "'" && quote !== '"') {
      problems.push(`${where}:${lineOf(text, start)}: l10n.t() needs a string literal as its message (found ${text.slice(start, start + 20)}…)`);
      continue;
    }
    let i = start + 1;
    let message = '';
    while (i < text.length && text[i] !== quote) {
      if (text[i] === '\\') {
        const next = text[i + 1];
        message += next === 'n' ? '\n' : next === 't' ? '\t' : next;
        i += 2;
      } else message += text[i++];
    }
    found.push(message);
  }
  return { found, problems };
}

function lineOf(text, index) {
  return text.slice(0, index).split('\n').length;
}

const all = new Set();
const problems = [];
for (const dir of sourceDirs) {
  for (const file of sources(join(root, dir))) {
    const result = messages(readFileSync(file, 'utf8'), relative(root, file));
    result.found.forEach((m) => all.add(m));
    problems.push(...result.problems);
  }
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
const bundle = Object.fromEntries([...all].sort().map((m) => [m, m]));
const text = JSON.stringify(bundle, null, 2) + '\n';
if (process.argv.includes('--check')) {
  let committed = '';
  try {
    committed = readFileSync(bundleFile, 'utf8');
  } catch {
    // missing: reported below
  }
  if (committed !== text) {
    console.error(`${relative(root, bundleFile)} is not up to date with the l10n.t() calls: run node scripts/l10n-export.mjs and commit it.`);
    process.exit(1);
  }
  console.log(`${relative(root, bundleFile)}: ${all.size} messages, up to date`);
} else {
  mkdirSync(join(root, 'l10n'), { recursive: true });
  writeFileSync(bundleFile, text);
  console.log(`${relative(root, bundleFile)}: ${all.size} messages`);
}
