import { ddiAttribute } from '../core/protocol/ddi';

/** What a release is for: the config's channel (PID, key, channel) and every key bound to the PID. */
export interface ChannelRule {
  pid: string;
  fwKey: string;
  channel: string;
  boundKeys?: readonly string[];
}

/**
 * Why a device that reported `attributes` (DDI configData: fw_key, channel, pid) would not be
 * offered a release for `rule`, in words a developer can act on; undefined when it matches.
 * The same rule as our server's: the key must be bound to the PID, the channel must be equal,
 * and a reported PID must be the release's.
 */
export function whyNotMatched(deviceId: string, attributes: Readonly<Record<string, string>>, rule: ChannelRule): string | undefined {
  const key = attributes[ddiAttribute.fwKey];
  const channel = attributes[ddiAttribute.channel];
  const pid = attributes[ddiAttribute.pid];
  const keys = [...new Set([rule.fwKey, ...(rule.boundKeys ?? [])])];
  const reported = `device ${deviceId} reports fw_key ${key ?? '(none)'}, channel ${channel ?? '(none)'}`;
  if (key === undefined) return `device ${deviceId} has not reported fw_key; the release needs a key bound to PID ${rule.pid} (bound: ${keys.join(', ')}). Make the device send fw_key (and channel) in its configData.`;
  if (!keys.includes(key)) return `${reported}; the release needs a key bound to PID ${rule.pid} (bound: ${keys.join(', ')}). If devices flashed with ${key} are in the field, add ${key} to the PID's firmwareKeys in .vscode/ota.json.`;
  if (channel !== rule.channel) return `${reported}; the release is for channel ${rule.channel}. Push a release built for channel ${channel ?? '(the device must report one)'}, or check which module the device has flashed.`;
  if (pid !== undefined && pid !== rule.pid) return `${reported}, pid ${pid}; the release is for PID ${rule.pid}. Fix the pid the device reports, or push for PID ${pid}.`;
  return undefined;
}
