import type { ByteMark, Fault } from './faults';
import { resolveMark } from './faults';

/** Faults that fire at a byte of the download. */
export type ByteFault = Extract<Fault, { kind: 'drop' | 'flip' }> | { kind: 'power-loss'; at: ByteMark };

function isByteFault(f: Fault): f is ByteFault {
  return f.kind === 'drop' || f.kind === 'flip' || (f.kind === 'power-loss' && f.at !== 'install');
}

/**
 * The faults a device still has to show. One-shot faults (drops, flips, power cuts, a self-test
 * verdict) are used up when they fire; standing ones (wrong key or channel, a bandwidth cap) stay.
 */
export class FaultPlan {
  private readonly pending: Fault[];

  constructor(faults: readonly Fault[] = []) {
    this.pending = [...faults];
  }

  add(fault: Fault): void {
    this.pending.push(fault);
  }

  clear(): void {
    this.pending.length = 0;
  }

  has(kind: 'wrong-key' | 'wrong-channel'): boolean {
    return this.pending.some((f) => f.kind === kind);
  }

  bandwidth(): number | undefined {
    return this.pending.find((f): f is Extract<Fault, { kind: 'bandwidth' }> => f.kind === 'bandwidth')?.bytesPerSecond;
  }

  /** The first unfired byte fault whose mark lies in [from, to) of an image of `size` bytes. */
  byteFaultIn(from: number, to: number, size: number): ByteFault | undefined {
    for (const f of this.pending) {
      if (!isByteFault(f)) continue;
      const at = resolveMark(f.at, size);
      if (at >= from && at < to) return f;
    }
    return undefined;
  }

  /** Takes (uses up) the power cut planned for the install step, if any. */
  takeInstallPowerLoss(): boolean {
    return this.take((f) => f.kind === 'power-loss' && f.at === 'install') !== undefined;
  }

  /** Takes the self-test verdict planned for the next boot of a new image, if any. */
  takeSelfTest(): Extract<Fault, { kind: 'self-test' }> | undefined {
    return this.take((f): f is Extract<Fault, { kind: 'self-test' }> => f.kind === 'self-test');
  }

  consume(fault: Fault): void {
    const i = this.pending.indexOf(fault);
    if (i >= 0) this.pending.splice(i, 1);
  }

  private take<T extends Fault>(match: (f: Fault) => f is T): T | undefined;
  private take(match: (f: Fault) => boolean): Fault | undefined;
  private take(match: (f: Fault) => boolean): Fault | undefined {
    const found = this.pending.find(match);
    if (found) this.consume(found);
    return found;
  }
}
