import { resolve } from 'node:path';

/** Tests run from the repository root (mocha's cwd), where the copied fixtures live. */
export function fixture(...parts: string[]): string {
  return resolve(process.cwd(), 'test', 'fixtures', ...parts);
}

export const espBlink = fixture('esp-idf', 'esp_idf_blink_esp32s2.bin');
export const mcubootDir = fixture('mcuboot');
