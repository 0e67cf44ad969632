import type { RuleSet } from '../logRule';

/**
 * The lines our device simulator adds to its ESP-IDF-like console (tag `ota_sim`). Its boot banner
 * and OTA messages are ESP-IDF's and are read by that rule set.
 */
export const simulatorRules: RuleSet = {
  name: 'simulator',
  rules: [
    {
      id: 'attributes',
      pattern: /^ota_sim: reporting fw_key=(?<fwKey>\S+) channel=(?<channel>\S+) pid=(?<pid>\S+) version=(?<version>\S+)/,
      kind: 'attributes',
    },
    { id: 'poll', pattern: /^ota_sim: polling (?<server>\S+)/, kind: 'poll', state: 'checking' },
    { id: 'no-update', pattern: /^ota_sim: no update offered/, kind: 'no-update', state: 'idle' },
    { id: 'offered', pattern: /^ota_sim: update offered: action (?<actionId>\S+) version (?<newVersion>\S+) size (?<total>\d+)/, kind: 'ota-start', state: 'downloading' },
    { id: 'progress', pattern: /^ota_sim: downloaded (?<done>\d+)\/(?<total>\d+) bytes/, kind: 'ota-progress', state: 'downloading' },
    { id: 'resume', pattern: /^ota_sim: resuming at byte (?<done>\d+) of (?<total>\d+)/, kind: 'ota-progress', state: 'downloading' },
    { id: 'offline', pattern: /^ota_sim: network down for (?<seconds>[\d.]+) s/, kind: 'ota-error' },
    { id: 'verified', pattern: /^ota_sim: (?<hash>sha256|md5|hmac|signature) ok/, kind: 'ota-progress', state: 'verifying' },
    { id: 'verify-failed', pattern: /^ota_sim: (?<error>(?:sha256|md5|hmac|signature) mismatch.*)$/, kind: 'ota-error', state: 'failed' },
    { id: 'refused', pattern: /^ota_sim: (?<error>refusing image: .*)$/, kind: 'ota-error', state: 'failed' },
    { id: 'power-loss', pattern: /^ota_sim: (?<error>power lost .*)$/, kind: 'reboot', state: 'rebooting' },
    { id: 'feedback', pattern: /^ota_sim: feedback (?<execution>\w+)\/(?<finished>\w+)/, kind: 'feedback' },
  ],
};
