// Packs the .vsix files with vsce — one per VS Code platform, carrying only that platform's
// serialport binding, plus a universal fallback with the bindings of all five — then lists what
// each holds and fails if anything that does not run slipped in: sources, tests, C++ and headers,
// type declarations, source maps, a foreign platform's binding. Run through `npm run package`
// (which makes the production bundles first); `-- --target linux-x64` packs one target only.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
const prebuilds = 'node_modules/@serialport/bindings-cpp/prebuilds';

/** VS Code's target → the serialport prebuild files for it (node-gyp-build picks among them at run time). */
const bindings = {
  'linux-x64': ['linux-x64/@serialport+bindings-cpp.glibc.node'],
  'linux-arm64': ['linux-arm64/@serialport+bindings-cpp.armv8.glibc.node'],
  'darwin-x64': ['darwin-x64+arm64/@serialport+bindings-cpp.node'],
  'darwin-arm64': ['darwin-x64+arm64/@serialport+bindings-cpp.node'],
  'win32-x64': ['win32-x64/@serialport+bindings-cpp.node'],
};
const universal = 'universal';
/** Per-platform goal; the universal package carries five bindings and may be larger. */
const platformLimitBytes = 1024 * 1024;

const requested = process.argv.includes('--target') ? [process.argv[process.argv.indexOf('--target') + 1]] : [...Object.keys(bindings), universal];
for (const t of requested) {
  if (t !== universal && !(t in bindings)) {
    console.error(`unknown target "${t}": one of ${[...Object.keys(bindings), universal].join(', ')}`);
    process.exit(2);
  }
}

/**
 * The run-time dependency folders: package.json's dependencies and theirs (serialport's tree), as
 * npm resolved them, less node-addon-api (C++ headers for building only) and less anything
 * extraneous that happens to sit in node_modules.
 */
function runtimePackages() {
  const tree = JSON.parse(execFileSync('npm', ['ls', '--omit=dev', '--all', '--json', '--long'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }));
  const folders = new Set();
  const walk = (node) => {
    for (const dep of Object.values(node.dependencies ?? {})) {
      if (dep.extraneous || !dep.path) continue;
      folders.add(relative(root, dep.path).split('\\').join('/'));
      walk(dep);
    }
  };
  walk(tree);
  return [...folders].filter((p) => p.startsWith('node_modules/') && !p.endsWith('/node-addon-api'));
}

/** Our .vscodeignore (everything out, our files back in) plus the JavaScript and manifests of each run-time package and the target's bindings. */
function ignoreFileFor(target, packages) {
  const ours = readFileSync(join(root, '.vscodeignore'), 'utf8');
  const files = target === universal ? [...new Set(Object.values(bindings).flat())] : bindings[target];
  return [
    ours,
    '# added by scripts/package.mjs for this target',
    ...packages.flatMap((p) => [`!${p}/package.json`, `!${p}/LICENSE`, `!${p}/license`, `!${p}/*.js`, `!${p}/{dist,lib,src}/**/*.js`]),
    ...files.map((f) => `!${prebuilds}/${f}`),
    '',
  ].join('\n');
}

/** What must never be in a package; for a platform package also every other platform's binding. */
function forbiddenIn(listing, target) {
  const allowedBindings = new Set((target === universal ? Object.values(bindings).flat() : bindings[target]).map((f) => `extension/${prebuilds}/${f}`));
  return listing.filter(
    (f) =>
      /^extension\/(src|test|out|bench|webview|scripts|\.cache|\.ci)\//.test(f) ||
      /\.(ts|map|cc|cpp|c|h|hpp|gyp|gypi|py)$/.test(f) ||
      /(^|\/)binding\.gyp$/.test(f) ||
      (f.endsWith('.node') && !allowedBindings.has(f)) ||
      f.includes('/node-addon-api/'),
  );
}

const packages = runtimePackages();
const scratch = mkdtempSync(join(tmpdir(), 'ota-package-'));
let failed = false;
try {
  for (const target of requested) {
    const out = target === universal ? `${name}-${version}.vsix` : `${name}-${target}-${version}.vsix`;
    const ignoreFile = join(scratch, `${target}.vscodeignore`);
    writeFileSync(ignoreFile, ignoreFileFor(target, packages));
    const targetArgs = target === universal ? [] : ['--target', target];
    execFileSync(process.execPath, [vsce, 'package', '--no-yarn', '--allow-missing-repository', '--no-rewrite-relative-links', '--ignoreFile', ignoreFile, ...targetArgs, '-o', out], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const listing = execFileSync('unzip', ['-Z1', out], { cwd: root, encoding: 'utf8' }).trim().split('\n');
    const bytes = statSync(join(root, out)).size;
    const deps = listing.filter((f) => f.includes('/node_modules/'));
    console.log(`${out}: ${listing.length} files (${deps.length} of them serialport's run-time files), ${(bytes / 1024).toFixed(0)} KiB`);
    const bad = forbiddenIn(listing, target);
    if (bad.length) {
      console.error(`  holds files that do not run here:\n    ${bad.join('\n    ')}`);
      failed = true;
    }
    if (target !== universal && bytes > platformLimitBytes) {
      console.error(`  is ${(bytes / 1024).toFixed(0)} KiB, over the ${platformLimitBytes / 1024} KiB a platform package may take`);
      failed = true;
    }
    if (target === requested.at(-1)) for (const f of listing.filter((f) => !f.includes('/node_modules/'))) console.log(`    ${f}`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
if (failed) process.exit(1);
