import { existsSync } from 'node:fs';
import * as path from 'node:path';

/**
 * The one way tests find the repository: upwards from the compiled test (out/ mirrors the tree),
 * then the working directory (tests compiled to a private out dir elsewhere run from the repo root).
 */
export function repoPath(...parts: string[]): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'test', 'fixtures'))) return path.join(dir, ...parts);
  }
  return path.resolve(process.cwd(), ...parts);
}

/** A file or folder under test/fixtures, e.g. fixturePath('logs', 'esp-idf-ota.log'). */
export function fixturePath(...parts: string[]): string {
  return repoPath('test', 'fixtures', ...parts);
}

export const espBlink = fixturePath('esp-idf', 'esp_idf_blink_esp32s2.bin');
export const mcubootDir = fixturePath('mcuboot');
