import type { RuleSet } from '../logRule';

/**
 * Arduino HTTPUpdate (ESP8266/ESP32 cores): the library's debug lines and what the stock example
 * sketches print from its callbacks and return codes.
 */
export const arduinoRules: RuleSet = {
  name: 'arduino',
  rules: [
    { id: 'http-code', pattern: /^\[httpUpdate\]\s+- code: (?<httpCode>-?\d+)/, kind: 'poll', state: 'checking' },
    { id: 'http-len', pattern: /^\[httpUpdate\]\s+- len: (?<total>\d+)/, kind: 'ota-start', state: 'downloading' },
    { id: 'started', pattern: /CALLBACK:\s+HTTP update process started/, kind: 'ota-start', state: 'downloading' },
    { id: 'progress', pattern: /CALLBACK:\s+HTTP update process at (?<done>\d+) of (?<total>\d+) bytes/, kind: 'ota-progress', state: 'downloading' },
    { id: 'finished', pattern: /CALLBACK:\s+HTTP update process finished/, kind: 'ota-complete', state: 'rebooting' },
    { id: 'fatal', pattern: /CALLBACK:\s+HTTP update fatal error code (?<errorCode>-?\d+)/, kind: 'ota-error', state: 'failed' },
    { id: 'failed', pattern: /HTTP_UPDATE_FAIL(?:E)?D Error \((?<errorCode>-?\d+)\): (?<error>.*)$/, kind: 'ota-error', state: 'failed' },
    { id: 'no-updates', pattern: /HTTP_UPDATE_NO_UPDATES/, kind: 'no-update', state: 'idle' },
    { id: 'ok', pattern: /HTTP_UPDATE_OK/, kind: 'ota-complete', state: 'rebooting' },
  ],
};
