// Bundles the extension (Node/CJS), the webview (browser) and the CLI (Node) with esbuild.
// Usage: node scripts/build.mjs [--watch] [--production]
import * as esbuild from 'esbuild';
import { chmodSync, readdirSync, readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'info',
  legalComments: 'none',
  define: { OTA_WORKBENCH_VERSION: JSON.stringify(version) },
  // jsonc-parser's UMD entry loads its parts with a runtime require() esbuild cannot follow
  // ("Cannot find module './impl/format'" from the bundle); its ESM build bundles cleanly.
  alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
};

// The CLI starts fast by loading only the command it runs: dist/cli.js holds the parser and the
// command table, and each command's code is a bundle in dist/cli/, required when that command runs.
// The specs' `import('../commands/NAME.js')` become `require('./cli/BUNDLE.js')`.
const commandNames = readdirSync('src/cli/commands').filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3));

/**
 * Commands that share most of their code (the workspace config, its checks and diagnostics; the
 * providers and their clients) share one bundle: as separate bundles each carried its own copy, and
 * the copies pushed a platform .vsix over 1 MiB. Loading a group costs a command a few milliseconds
 * of parsing it does not use; the commands measured for start-up (`version`, `sign`) stay alone.
 * A command in no group is a bundle of its own. `plan` is the seed's test plan (stress, rollback).
 */
const commandGroups = {
  workspace: ['init', 'configValidate', 'check', 'build', 'versionBump', 'versionShow', 'releaseCreate'],
  remote: ['push', 'deploy', 'rollout', 'status', 'watch', 'bind'],
  plan: ['stress', 'rollback'],
};
const bundleOfCommand = new Map(Object.entries(commandGroups).flatMap(([group, names]) => names.map((name) => [name, group])));
for (const name of bundleOfCommand.keys()) {
  if (!commandNames.includes(name)) throw new Error(`scripts/build.mjs: command group names "${name}", which is not in src/cli/commands/`);
}

/**
 * @param {string} from where the command bundles are, seen from the bundle being built
 * @returns {import('esbuild').Plugin}
 */
const commandsAsSeparateBundles = (from) => ({
  name: 'cli-commands-as-separate-bundles',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/commands\/[A-Za-z]+\.js$/ }, (args) => {
      if (!/[\\/]src[\\/]cli[\\/]specs[\\/]/.test(args.importer)) return undefined;
      const name = args.path.slice('../commands/'.length, -'.js'.length);
      return { path: `${from}${bundleOfCommand.get(name) ?? name}.js`, external: true };
    });
  },
});

/**
 * A group's bundle re-exports its commands (each command module exports its own `<name>Command`).
 * @type {import('esbuild').Plugin}
 */
const commandGroupEntries = {
  name: 'cli-command-group-entries',
  setup(build) {
    build.onResolve({ filter: /^ota-command-group:/ }, (args) => ({ path: args.path.slice('ota-command-group:'.length), namespace: 'ota-command-group' }));
    build.onLoad({ filter: /.*/, namespace: 'ota-command-group' }, (args) => ({
      contents: commandGroups[args.path].map((name) => `export * from './src/cli/commands/${name}.ts';`).join('\n'),
      resolveDir: process.cwd(),
      loader: 'ts',
    }));
  },
};

const commandEntryPoints = {
  ...Object.fromEntries(commandNames.filter((name) => !bundleOfCommand.has(name)).map((name) => [`cli/${name}`, `src/cli/commands/${name}.ts`])),
  ...Object.fromEntries(Object.keys(commandGroups).map((group) => [`cli/${group}`, `ota-command-group:${group}`])),
};

/**
 * node-forge (X.509 for the local CA) is the largest dependency, and both `serve` and `ca` need
 * it: the command bundles share one copy in dist/cli/forge.js instead of carrying one each (the
 * difference keeps a platform .vsix under 1 MiB).
 * @type {import('esbuild').Plugin}
 */
const sharedForge = {
  name: 'shared-node-forge',
  setup(build) {
    build.onResolve({ filter: /^node-forge$/ }, () => ({ path: './forge.js', external: true }));
  },
};

/** @type {import('esbuild').Plugin} */
const executableCli = {
  name: 'executable-cli',
  setup(build) {
    build.onEnd((result) => {
      if (result.errors.length === 0) chmodSync('dist/cli.js', 0o755);
    });
  },
};

/**
 * commander requires node:child_process at load for stand-alone executable subcommands, which ota
 * does not use; loading it (with net and stream behind it) is a measurable part of `ota version`.
 * Here commander gets a stand-in that loads the real module on first use only.
 * @type {import('esbuild').Plugin}
 */
const lazyChildProcessForCommander = {
  name: 'lazy-child-process-for-commander',
  setup(build) {
    build.onResolve({ filter: /^node:child_process$/ }, (args) => (/[\\/]commander[\\/]/.test(args.importer) ? { path: 'lazy-child-process', namespace: 'ota-lazy' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'ota-lazy' }, () => ({
      contents: "module.exports = new Proxy({}, { get: (_, name) => require('node:child_process')[name] });",
      loader: 'js',
    }));
  },
};

/** Node CommonJS for the CLI: `import()` of a command bundle becomes a plain require (no ESM loader at start-up). */
const cliCommon = {
  ...common,
  outdir: 'dist',
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  supported: { 'dynamic-import': false },
  external: ['serialport', '@serialport/*'],
};

/** @type {import('esbuild').BuildOptions[]} */
const targets = [
  {
    ...common,
    entryPoints: { extension: 'src/extension/extension.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // vscode is provided by the host; serialport loads a native N-API prebuild at run time.
    external: ['vscode', 'serialport', '@serialport/*'],
  },
  {
    ...cliCommon,
    entryPoints: { cli: 'src/cli/main.ts' },
    banner: { js: '#!/usr/bin/env node' },
    plugins: [commandsAsSeparateBundles('./cli/'), lazyChildProcessForCommander, executableCli],
  },
  {
    ...cliCommon,
    entryPoints: commandEntryPoints,
    // `ota completion` reads the command table, which names the other command bundles.
    plugins: [commandsAsSeparateBundles('./'), commandGroupEntries, sharedForge],
  },
  {
    ...cliCommon,
    entryPoints: { 'cli/forge': 'node_modules/node-forge/lib/index.js' },
  },
  {
    ...common,
    entryPoints: { webview: 'webview/main.ts' },
    outdir: 'dist',
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
  },
];

if (watch) {
  const contexts = await Promise.all(targets.map((t) => esbuild.context(t)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('watching for changes…');
} else {
  const started = Date.now();
  await Promise.all(targets.map((t) => esbuild.build(t)));
  console.log(`built ${targets.length} bundles in ${Date.now() - started} ms${production ? ' (production)' : ''}`);
}
