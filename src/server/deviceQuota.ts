import { OtaError } from '../core/errors';

/**
 * How many devices the server will learn of. Device routes are open (or share one token), so
 * made-up ids would otherwise each cost a journal record, memory and a line in every status:
 * 20,000 of them took the journal from 16 KB to 31 MB. New ids past `perMinute` in the last
 * minute, or past `total` known devices, get a 429; devices already known are never refused.
 */
export class DeviceQuota {
  /** Times (ms) of the first contacts inside the current window, oldest first. */
  private readonly recent: number[] = [];

  constructor(
    private readonly total: number,
    private readonly perMinute: number,
  ) {}

  /** New ids admitted whose first record is still being written (they are not in `known` yet). */
  private readonly creating = new Set<string>();

  /**
   * Throws a 429 when one more new device is over a limit; otherwise counts it. Call `created`
   * once its record is written (or failed).
   */
  admit(id: string, known: number, nowMs: number): void {
    if (this.creating.has(id)) return;
    known += this.creating.size;
    if (known >= this.total) {
      throw new OtaError(`this server already knows ${known} devices, its limit (maxDevices ${this.total})`, {
        code: 'too-many-requests',
        hint: 'raise the limit with ota serve --max-devices N if this fleet is real',
      });
    }
    while (this.recent.length > 0 && nowMs - this.recent[0]! >= 60_000) this.recent.shift();
    if (this.recent.length >= this.perMinute) {
      throw new OtaError(`${this.recent.length} new devices in the last minute, this server's limit (newDevicesPerMinute ${this.perMinute})`, {
        code: 'too-many-requests',
        hint: 'retry later, or raise the limit with ota serve --new-devices-per-minute N',
      });
    }
    this.recent.push(nowMs);
    this.creating.add(id);
  }

  created(id: string): void {
    this.creating.delete(id);
  }
}
