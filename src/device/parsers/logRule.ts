import type { DeviceEventKind, DeviceOtaState } from './deviceEvent';

/**
 * One pattern over a plain (ANSI-stripped) log line. Named groups become event fields:
 * `version`, `fwKey`, `channel`, `progress` (percent), `done` + `total` (bytes, turned into a
 * percent), `state`; any other group lands in `fields`.
 */
export interface LogRule {
  id: string;
  pattern: RegExp;
  kind: DeviceEventKind;
  state?: DeviceOtaState;
  /** Picks the state from what matched (e.g. MCUboot's swap type decides between swap and revert). */
  decide?: (groups: Record<string, string>) => { kind?: DeviceEventKind; state?: DeviceOtaState } | undefined;
}

export interface RuleSet {
  name: string;
  rules: readonly LogRule[];
}
