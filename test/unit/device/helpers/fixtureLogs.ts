import type { DeviceEvent } from '../../../../src/device/parsers/deviceEvent';
import { fixturePath } from '../../../helpers/fixtures';

/** A recorded log under test/fixtures/logs. */
export function fixtureLog(name: string): string {
  return fixturePath('logs', name);
}

/** An event in a form that reads well in a failing assertion. */
export function summary(e: DeviceEvent): string {
  const value = e.version ?? (e.progress !== undefined ? `${e.progress}%` : '');
  return [e.kind, e.state ?? '-', value].filter((x) => x !== '').join(' ');
}
