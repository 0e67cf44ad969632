import type { Channel, Product } from '../../core/config/model';
import type { Fault } from '../../device/simulator/faults';
import { SimFleet } from '../../device/simulator/fleet';
import type { SimDeviceOptions } from '../../device/simulator/simDeviceTypes';

/** The version the demo devices run before the update (stamped into their factory image). */
export const demoFactoryVersion = '1.0.0';

/** One group of identical simulated devices and what the demo expects of it. */
export interface DemoGroup {
  fleet: SimFleet;
  /** Whether the deployment should reach these devices. */
  matching: boolean;
  /** What they show a person: "reports the channel's key", "an old key still bound to the PID"… */
  role: string;
}

export interface DemoFleetOptions {
  server: string;
  caPem?: string;
  channel: Channel;
  product: Product | undefined;
  dir: string;
  /** Download speed cap, bytes/s: slow enough for a person to watch the progress bars move. */
  bytesPerSecond: number;
}

/**
 * A small fleet for the channel: three devices flashed with the channel's key, one with an older
 * key the config still binds to the PID (the seed's "fleet already shipped" case), and one that
 * reports a key nobody bound, so its why-not record shows.
 */
export function demoFleet(options: DemoFleetOptions): DemoGroup[] {
  const { channel } = options;
  const base = (faults: Fault[]): Omit<SimDeviceOptions, 'id' | 'dir'> => ({
    server: options.server,
    ...(options.caPem ? { caPem: options.caPem } : {}),
    pid: channel.pid,
    fwKey: channel.firmwareKey,
    channel: channel.name,
    version: demoFactoryVersion,
    behaviour: channel.format === 'mcuboot' ? 'mcuboot' : channel.format === 'esp-idf' ? 'esp-idf' : 'plain',
    pollIntervalMs: 1000,
    retryMs: 1000,
    rebootMs: 1500,
    installMs: 1200,
    selfTestMs: 800,
    chunkBytes: 8 * 1024,
    faults: [...faults, ...(options.bytesPerSecond > 0 ? [{ kind: 'bandwidth' as const, bytesPerSecond: options.bytesPerSecond }] : [])],
  });
  const group = (idPrefix: string, count: number, device: Omit<SimDeviceOptions, 'id' | 'dir'>) =>
    new SimFleet({ count, idPrefix, dir: options.dir, startSpreadMs: 600, device });
  const groups: DemoGroup[] = [{ fleet: group('demo-plug', 3, base([])), matching: true, role: `reports the channel's key ${channel.firmwareKey}` }];
  const oldKey = options.product?.firmwareKeys.find((k) => k !== channel.firmwareKey);
  if (oldKey) groups.push({ fleet: group('demo-oldkey', 1, { ...base([]), fwKey: oldKey }), matching: true, role: `reports the older key ${oldKey}, still bound to PID ${channel.pid}` });
  groups.push({ fleet: group('demo-wrongkey', 1, base([{ kind: 'wrong-key' }])), matching: false, role: 'reports a firmware key that is not bound to the PID' });
  return groups;
}
