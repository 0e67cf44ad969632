import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { DeviceEvent } from '../../../../src/device/parsers/deviceEvent';

/**
 * A recorded log under test/fixtures/logs. Tests may be compiled to out/ or to a private out dir
 * elsewhere, so look upwards from here first and then in the working directory (the repo root).
 */
export function fixtureLog(name: string): string {
  const relative = path.join('test', 'fixtures', 'logs', name);
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, relative))) return path.join(dir, relative);
  }
  return path.resolve(relative);
}

/** test/fixtures itself, found the same way. */
export function fixtureDir(): string {
  return path.dirname(path.dirname(fixtureLog('esp-idf-ota.log')));
}

/** An event in a form that reads well in a failing assertion. */
export function summary(e: DeviceEvent): string {
  const value = e.version ?? (e.progress !== undefined ? `${e.progress}%` : '');
  return [e.kind, e.state ?? '-', value].filter((x) => x !== '').join(' ');
}
