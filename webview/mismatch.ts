import type { Device } from '../src/core/protocol/management';
import type { DeviceExpectation } from './protocol';

/** Where what a device reports differs from what the workspace config expects, one phrase each. */
export function mismatches(device: Device, expected: DeviceExpectation | undefined): string[] {
  const a = device.attributes;
  if (!expected) return a.pid ? [`PID ${a.pid} is not a product in the workspace config`] : [];
  const found: string[] = [];
  if (expected.pid && a.pid !== undefined && a.pid !== expected.pid) found.push(`pid ${a.pid}, expected ${expected.pid}`);
  if (expected.fwKeys.length && a.fw_key !== undefined && !expected.fwKeys.includes(a.fw_key)) found.push(`fw_key ${a.fw_key} is not bound (expected ${expected.fwKeys.join(' or ')})`);
  if (expected.channels.length && a.channel !== undefined && !expected.channels.includes(a.channel)) found.push(`channel ${a.channel}, expected ${expected.channels.join(' or ')}`);
  return found;
}
