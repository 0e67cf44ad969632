import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkConfigSources } from '../../../src/core/config/check';
import type { ConfigCheckResult } from '../../../src/core/config/check';

/** test/fixtures, found from the source tree or from the compiled copy (out dirs mirror the tree). */
export function fixturePath(...parts: string[]): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'test', 'fixtures', ...parts);
    if (fs.existsSync(candidate)) return candidate;
  }
  // Compiled tests live outside the repo (e.g. /tmp/out-x): fall back to the working directory.
  return path.join(process.cwd(), 'test', 'fixtures', ...parts);
}

/** A file of the repository (found by its package.json), e.g. repoPath('schemas', 'x.json'). */
export function repoPath(...parts: string[]): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'schemas'))) return path.join(dir, ...parts);
  }
  return path.join(process.cwd(), ...parts);
}

export function readFixture(...parts: string[]): string {
  return fs.readFileSync(fixturePath(...parts), 'utf8');
}

export function check(text: string, local?: string): ConfigCheckResult {
  return checkConfigSources({ file: '/ws/.vscode/ota.json', text }, local === undefined ? undefined : { file: '/ws/.vscode/ota.local.json', text: local });
}

/** A small valid config as an object, for tests that change one thing. */
export function minimal(): Record<string, unknown> {
  return {
    products: [{ pid: 'p1', name: 'Plug', firmwareKeys: ['k1', 'k-old'] }],
    channels: [{ name: 'main', pid: 'p1', firmwareKey: 'k1', format: 'esp-idf', artifact: 'build/app.bin', version: { source: 'image' } }],
    servers: [{ type: 'local', name: 'local' }],
    devices: [{ name: 'bench-esp32', deviceId: 'dev-1', serial: { path: '/dev/ttyUSB0' } }],
  };
}

export function codes(result: ConfigCheckResult): string[] {
  return result.diagnostics.map((d) => d.code);
}

/**
 * 1-based line and column of `offset`, computed here rather than by the product's LineIndex (a
 * test that asked LineIndex would agree with any bug in it): lines end at \r\n, \n or a lone \r,
 * as in VS Code; columns count UTF-16 units from the line's start.
 */
export function expectedPosition(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (const m of text.matchAll(/\r\n|\r|\n/g)) {
    const end = m.index + m[0].length;
    if (end > offset) break;
    line++;
    lineStart = end;
  }
  return { line, column: offset - lineStart + 1 };
}
