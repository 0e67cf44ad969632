import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OtaError } from '../../core/errors';
import type { Fault } from './faults';
import { parseFault } from './faults';
import { SimFleet } from './fleet';
import type { DeviceBehaviour } from './simDeviceTypes';

/** A fault for some of the fleet: `3,5-7=drop:8s@50%` (devices 3, 5, 6, 7) or every device. */
export interface FleetFault {
  fault: Fault;
  /** 1-based device numbers or device ids; absent: every device. */
  devices?: { numbers: Set<number>; ids: Set<string> };
  text: string;
}

export function parseFleetFault(text: string): FleetFault {
  const eq = text.indexOf('=');
  if (eq < 0) return { fault: parseFault(text), text };
  const numbers = new Set<number>();
  const ids = new Set<string>();
  for (const part of text.slice(0, eq).split(',').map((s) => s.trim()).filter(Boolean)) {
    const range = /^(\d+)-(\d+)$/.exec(part);
    if (range) {
      const [a, b] = [Number(range[1]), Number(range[2])];
      if (a < 1 || b < a || b - a > 100_000) throw new OtaError(`device range "${part}" in fault "${text}" must be FROM-TO with 1 ≤ FROM ≤ TO`, { where: '--fault', code: 'usage' });
      for (let n = a; n <= b; n++) numbers.add(n);
    } else if (/^\d+$/.test(part)) numbers.add(Number(part));
    else ids.add(part);
  }
  if (!numbers.size && !ids.size) throw new OtaError(`fault "${text}" names no device before "="`, { where: '--fault', hint: 'write e.g. 1-5=drop:2s@50% or sim-03=bandwidth:20kbps', code: 'usage' });
  return { fault: parseFault(text.slice(eq + 1)), devices: { numbers, ids }, text };
}

function standing(f: Fault): boolean {
  return f.kind === 'wrong-key' || f.kind === 'wrong-channel' || f.kind === 'bandwidth';
}

function appliesTo(f: FleetFault, index: number, id: string): boolean {
  return !f.devices || f.devices.numbers.has(index + 1) || f.devices.ids.has(id);
}

export interface PlanFleetOptions {
  count: number;
  server: string;
  caPem?: string;
  pid: string;
  fwKey: string;
  channel: string;
  /** What the devices run at start (the channel's latest release, so they report its version). */
  factoryImage: Buffer;
  behaviour: DeviceBehaviour;
  faults: readonly FleetFault[];
  pollIntervalMs: number;
  idPrefix?: string;
}

/**
 * Simulated devices for a stress or rollback run, in this process: started, waited for until they
 * have reported themselves, re-armed with their one-shot faults before each cycle, and stopped
 * with their scratch flash removed.
 */
export class PlanFleet {
  readonly fleet: SimFleet;
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;

  private constructor(
    private options: PlanFleetOptions,
    private readonly dir: string,
  ) {
    this.fleet = new SimFleet({
      count: options.count,
      dir,
      idPrefix: options.idPrefix ?? 'sim',
      startSpreadMs: Math.min(2000, options.count * 10),
      device: {
        server: options.server,
        ...(options.caPem ? { caPem: options.caPem } : {}),
        pid: options.pid,
        fwKey: options.fwKey,
        channel: options.channel,
        factoryImage: options.factoryImage,
        behaviour: options.behaviour,
        pollIntervalMs: options.pollIntervalMs,
        rebootMs: 200,
        installMs: 100,
        selfTestMs: 100,
        retryMs: 500,
      },
    });
  }

  static async start(options: PlanFleetOptions): Promise<PlanFleet> {
    const fleet = new PlanFleet(options, await mkdtemp(join(tmpdir(), 'ota-plan-fleet-')));
    // A wrong key or channel and a bandwidth cap hold from the start, before the first report.
    fleet.inject(standing);
    fleet.running = fleet.fleet.run(fleet.abort.signal);
    return fleet;
  }

  get ids(): string[] {
    return this.fleet.devices.map((d) => d.id);
  }

  /** One-shot faults (drops, power cuts, flips, a self-test verdict) fire once: each cycle gets them afresh. */
  armFaults(): void {
    this.inject((f) => !standing(f));
  }

  /**
   * Takes every fault off every device and keeps them off (a later `armFaults` arms nothing): the
   * cause is fixed, as a staged rollout paused at its error threshold expects before it resumes.
   * Returns the faults that were given, for the record.
   */
  clearFaults(): string[] {
    const cleared = this.options.faults.map((f) => f.text);
    this.options = { ...this.options, faults: [] };
    for (const device of this.fleet.devices) device.clearFaults();
    return cleared;
  }

  private inject(which: (f: Fault) => boolean): void {
    this.fleet.devices.forEach((device, i) => {
      for (const f of this.options.faults) if (which(f.fault) && appliesTo(f, i, device.id)) device.injectFault(f.fault);
    });
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.running?.catch(() => undefined);
    await Promise.all(this.fleet.devices.map((d) => d.console.close()));
    await rm(this.dir, { recursive: true, force: true });
  }
}
