import * as fs from 'node:fs';
import { checkConfigSources } from '../../../src/core/config/check';
import type { ConfigCheckResult } from '../../../src/core/config/check';
import { fixturePath } from '../../helpers/fixtures';

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
