/** What a line from a device means for an update, whatever firmware stack printed it. */
export type DeviceEventKind =
  | 'boot' // reset, bootloader or OS banner
  | 'app-info' // the running application describes itself (version, ELF SHA, project)
  | 'attributes' // the device says which firmware key / channel / PID it carries
  | 'poll' // asks the server for work
  | 'no-update'
  | 'ota-start'
  | 'ota-progress'
  | 'ota-complete' // downloaded and verified; waiting for the reboot that installs it
  | 'ota-error'
  | 'feedback' // reported a status to the server
  | 'reboot'
  | 'swap' // the bootloader moves the new image into place
  | 'pending-verify' // the new image runs but is not confirmed yet
  | 'confirmed'
  | 'rollback'
  | 'boot-error'
  | 'custom'; // a user rule without a kind

export const deviceEventKinds: readonly DeviceEventKind[] = [
  'boot',
  'app-info',
  'attributes',
  'poll',
  'no-update',
  'ota-start',
  'ota-progress',
  'ota-complete',
  'ota-error',
  'feedback',
  'reboot',
  'swap',
  'pending-verify',
  'confirmed',
  'rollback',
  'boot-error',
  'custom',
];

export type DeviceOtaState =
  | 'booting'
  | 'running'
  | 'idle'
  | 'checking'
  | 'downloading'
  | 'verifying'
  | 'installing'
  | 'rebooting'
  | 'pending-verify'
  | 'confirmed'
  | 'rolled-back'
  | 'failed';

export const deviceOtaStates: readonly DeviceOtaState[] = [
  'booting',
  'running',
  'idle',
  'checking',
  'downloading',
  'verifying',
  'installing',
  'rebooting',
  'pending-verify',
  'confirmed',
  'rolled-back',
  'failed',
];

/** The normalized event: the same shape from a real board's serial log and from the simulator. */
export interface DeviceEvent {
  device: string;
  /** When the host received the line, ms since the epoch. */
  time: number;
  /** The device's own timestamp from the log prefix (ms since boot, or a clock), as printed. */
  deviceTime?: string;
  kind: DeviceEventKind;
  state?: DeviceOtaState;
  /** Percent, 0–100, when the line says (or implies it with done/total bytes). */
  progress?: number;
  /** The version the device says it runs. */
  version?: string;
  fwKey?: string;
  channel?: string;
  /** Everything else the rule captured (ELF SHA, swap type, error text, bytes done…). */
  fields?: Record<string, string>;
  /** Which rule set and rule matched, so a surprising event can be traced to its pattern. */
  source: string;
  /** The line as received, ANSI colours kept for display (capped for very long lines). */
  line: string;
}
