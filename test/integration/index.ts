/** Entry point VS Code calls (extensionTestsPath) inside the extension host: runs every *.test.js here. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  // OTA_INTEGRATION_GREP runs the matching tests only (as mocha --grep), to chase one failure.
  const grep = process.env.OTA_INTEGRATION_GREP;
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec', ...(grep ? { grep } : {}) });
  const files = fs.readdirSync(__dirname, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.test.js'));
  for (const file of suiteOrder(files.sort())) mocha.addFile(path.join(__dirname, file));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} integration test(s) failed`)) : resolve()));
  });
}

/**
 * OTA_INTEGRATION_ORDER: the files in name order (unset), `reverse`, or `shuffle` / `shuffle:SEED`
 * (the seed is printed, so a failing order can be run again). Each suite sets up and restores what
 * it needs; running them in another order shows when one starts to lean on another's leftovers.
 */
export function suiteOrder(files: string[]): string[] {
  const order = process.env.OTA_INTEGRATION_ORDER ?? '';
  if (order === '') return files;
  if (order === 'reverse') {
    console.log('integration: suites in reverse order');
    return [...files].reverse();
  }
  const shuffle = /^shuffle(?::(\d+))?$/.exec(order);
  if (!shuffle) throw new Error(`OTA_INTEGRATION_ORDER=${order}: expected reverse, shuffle or shuffle:SEED (a whole number)`);
  const seed = shuffle[1] !== undefined ? Number(shuffle[1]) : Math.floor(Math.random() * 2 ** 31);
  console.log(`integration: suites shuffled with seed ${seed} (OTA_INTEGRATION_ORDER=shuffle:${seed} repeats this order)`);
  const random = mulberry32(seed);
  const shuffled = [...files];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  console.log(`integration: ${shuffled.join(', ')}`);
  return shuffled;
}

/** A small seeded generator (mulberry32): the same seed gives the same order on every machine. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
