import type { ParsedArgs } from './args';
import { stringFlag } from './args';
import type { OptionSpec } from './command';
import { OtaError } from '../core/errors';
import type { DeployType, MaintenanceWindow } from '../providers/provider';

/** The options deployFromFlags reads, for every command that deploys (push --deploy, deploy, rollout create). */
export const deployOptions: readonly OptionSpec[] = [
  { flags: '--devices <ID,...>', description: 'only these devices (default: every matching device)' },
  { flags: '--forced', description: 'a forced deployment instead of a soft one' },
  { flags: '--download-only', description: 'devices download but do not install' },
  { flags: '--time-forced <WHEN>', description: 'soft until WHEN (ISO date or epoch ms), forced after' },
  { flags: '--window-schedule <CRON>', description: 'hawkBit maintenance window: when it opens (Quartz cron)' },
  { flags: '--window-duration <HH:MM:SS>', description: 'hawkBit maintenance window: how long it stays open' },
  { flags: '--window-timezone <+HH:MM>', description: 'hawkBit maintenance window: its time zone offset' },
];

/**
 * How a deployment reaches devices: soft by default; --forced; --download-only; --time-forced
 * WHEN (ISO date or epoch ms: soft until then, forced after); a hawkBit maintenance window from
 * the three --window-* flags.
 */
export function deployFromFlags(parsed: ParsedArgs): { type: DeployType; devices?: string[]; forceTime?: number; maintenanceWindow?: MaintenanceWindow } {
  const forced = parsed.flags.get('forced') === true;
  const downloadOnly = parsed.flags.get('download-only') === true;
  const when = stringFlag(parsed, 'time-forced');
  if ([forced, downloadOnly, when !== undefined].filter(Boolean).length > 1) throw new OtaError('--forced, --download-only and --time-forced exclude each other', { code: 'usage', hint: 'pick one (soft when none)' });
  const devices = stringFlag(parsed, 'devices')?.split(',').map((d) => d.trim()).filter(Boolean);
  const out: ReturnType<typeof deployFromFlags> = { type: forced ? 'forced' : downloadOnly ? 'downloadonly' : when !== undefined ? 'timeforced' : 'soft', ...(devices?.length ? { devices } : {}) };
  if (when !== undefined) {
    const ms = /^\d+$/.test(when) ? Number(when) : Date.parse(when);
    if (Number.isNaN(ms)) throw new OtaError(`--time-forced '${when}' is not a date`, { code: 'usage', hint: 'write an ISO date like 2026-12-24T18:00:00Z, or epoch milliseconds' });
    out.forceTime = ms;
  }
  const schedule = stringFlag(parsed, 'window-schedule');
  const duration = stringFlag(parsed, 'window-duration');
  const timezone = stringFlag(parsed, 'window-timezone');
  if (schedule !== undefined || duration !== undefined || timezone !== undefined) {
    if (schedule === undefined || duration === undefined || timezone === undefined) throw new OtaError('a maintenance window needs --window-schedule, --window-duration and --window-timezone', { code: 'usage', hint: "e.g. --window-schedule '0 0 3 ? * *' --window-duration 01:00:00 --window-timezone +00:00" });
    if (!/^\d{2}:\d{2}:\d{2}$/.test(duration)) throw new OtaError(`--window-duration '${duration}' is not HH:MM:SS`, { code: 'usage' });
    if (!/^[+-]\d{2}:\d{2}$/.test(timezone)) throw new OtaError(`--window-timezone '${timezone}' is not an offset like +02:00`, { code: 'usage' });
    out.maintenanceWindow = { schedule, duration, timezone };
  }
  return out;
}
