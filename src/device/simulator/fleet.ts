import { setMaxListeners } from 'node:events';
import * as path from 'node:path';
import { sleep } from './simNetwork';
import { SimulatedDevice } from './simulatedDevice';
import type { SimDeviceOptions, SimPhase } from './simDeviceTypes';

export interface FleetOptions {
  count: number;
  /** Device ids are `${idPrefix}-${n}` with n from 1, zero-padded (default "sim"). */
  idPrefix?: string;
  /** Parent directory; each device keeps its flash in its own subdirectory. */
  dir: string;
  /** Spread the first polls over this many ms, as a fleet switched on together does not poll in lockstep. */
  startSpreadMs?: number;
  /** Everything else is the same for every device (server, pid, key, channel, image, faults…). */
  device: Omit<SimDeviceOptions, 'id' | 'dir'>;
}

export interface FleetSummary {
  count: number;
  phases: Partial<Record<SimPhase, number>>;
  /** How many devices run each version. */
  versions: Record<string, number>;
  installs: number;
  rollbacks: number;
  bytesReceived: number;
}

/**
 * Hundreds of simulated devices in one process. Memory stays bounded: images stream to per-device
 * files, consoles keep no history (lines go only to whoever listens), and devices share one
 * factory image buffer.
 */
export class SimFleet {
  readonly devices: SimulatedDevice[];

  constructor(private readonly options: FleetOptions) {
    const width = String(options.count).length;
    const prefix = options.idPrefix ?? 'sim';
    this.devices = Array.from({ length: options.count }, (_, i) => {
      const id = `${prefix}-${String(i + 1).padStart(width, '0')}`;
      return new SimulatedDevice({ ...options.device, id, dir: path.join(options.dir, id) });
    });
  }

  /** Runs every device until `signal` aborts; one device failing to start does not stop the others. */
  async run(signal: AbortSignal): Promise<void> {
    // Every device waits on the same signal: hundreds of listeners are expected, not a leak.
    setMaxListeners(this.devices.length * 4 + 10, signal);
    const spread = this.options.startSpreadMs ?? Math.min(5000, this.options.count * 10);
    await Promise.all(
      this.devices.map(async (device, i) => {
        const delay = this.devices.length > 1 ? Math.floor((spread * i) / (this.devices.length - 1)) : 0;
        // Stopping during the spread must not wait for the last device's turn.
        await sleep(delay, signal).catch(() => undefined);
        if (signal.aborted) return;
        await device.run(signal).catch((err: unknown) => device.console.error('ota_sim', `stopped: ${String(err)}`));
      }),
    );
  }

  summary(): FleetSummary {
    const summary: FleetSummary = { count: this.devices.length, phases: {}, versions: {}, installs: 0, rollbacks: 0, bytesReceived: 0 };
    for (const d of this.devices) {
      summary.phases[d.phase] = (summary.phases[d.phase] ?? 0) + 1;
      summary.versions[d.runningVersion] = (summary.versions[d.runningVersion] ?? 0) + 1;
      summary.installs += d.stats.installs;
      summary.rollbacks += d.stats.rollbacks;
      summary.bytesReceived += d.stats.bytesReceived;
    }
    return summary;
  }
}
