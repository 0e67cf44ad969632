import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { repoRoot } from './codeServer';
import { run } from './processes';

/** VS Code's name for this machine's platform, as `vsce package --target` takes it. */
export function vscodeTarget(): string {
  const target = `${process.platform}-${process.arch}`;
  const known = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64'];
  if (!known.includes(target)) throw new Error(`no platform package is made for ${target} (only ${known.join(', ')})`);
  return target;
}

/**
 * This platform's .vsix as `npm run package` makes it: reused when it is newer than every source
 * it is built from (CI packages before the tests), made again otherwise. Packaging writes the
 * production bundles into dist/, so the development build is put back afterwards.
 */
export async function platformPackage(): Promise<string> {
  const { name, version } = JSON.parse(await fs.readFile(path.join(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string };
  const target = vscodeTarget();
  const vsix = path.join(repoRoot, `${name}-${target}-${version}.vsix`);
  const built = await fs.stat(vsix).then((s) => s.mtimeMs, () => 0);
  if (built > (await newestSource())) return vsix;
  await run('node', [path.join(repoRoot, 'scripts', 'build.mjs'), '--production'], { cwd: repoRoot });
  try {
    await run('node', [path.join(repoRoot, 'scripts', 'package.mjs'), '--target', target], { cwd: repoRoot });
  } finally {
    await run('node', [path.join(repoRoot, 'scripts', 'build.mjs')], { cwd: repoRoot });
  }
  return vsix;
}

async function newestSource(): Promise<number> {
  let newest = 0;
  for (const top of ['src', 'webview', 'media', 'schemas', 'package.json', 'README.md', '.vscodeignore']) {
    const entries = await fs.readdir(path.join(repoRoot, top), { recursive: true, withFileTypes: true }).catch(() => undefined);
    const files = entries ? entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name)) : [path.join(repoRoot, top)];
    for (const f of files) newest = Math.max(newest, await fs.stat(f).then((s) => s.mtimeMs, () => 0));
  }
  return newest;
}
