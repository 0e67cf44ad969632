import type { RuleSet } from '../logRule';

/**
 * Zephyr's OS banner and its hawkBit client (subsys/mgmt/hawkbit): poll, download progress (a
 * debug line), install, feedback, and the outcomes of its autohandler.
 */
export const zephyrRules: RuleSet = {
  name: 'zephyr',
  rules: [
    { id: 'banner', pattern: /\*\*\* Booting Zephyr OS (?:build )?(?<zephyrVersion>\S+)/, kind: 'boot', state: 'booting' },
    { id: 'image-confirmed', pattern: /^hawkbit: Current image is confirmed/, kind: 'confirmed', state: 'confirmed' },
    { id: 'image-unconfirmed', pattern: /^hawkbit: Current image is not confirmed/, kind: 'pending-verify', state: 'pending-verify' },
    { id: 'unconfirmed-revert', pattern: /^hawkbit: Rebooting to previous confirmed image/, kind: 'rollback', state: 'rolled-back' },
    { id: 'poll', pattern: /^hawkbit: Polling target data from hawkBit/, kind: 'poll', state: 'checking' },
    { id: 'no-update', pattern: /^hawkbit: (?:No update found|Image is already updated|Preventing repeated attempt to install (?<actionId>\d+))/, kind: 'no-update', state: 'idle' },
    { id: 'ready', pattern: /^hawkbit: Ready to install update/, kind: 'ota-start', state: 'downloading' },
    { id: 'progress', pattern: /^hawkbit: Downloaded:? (?<progress>\d{1,3})%/, kind: 'ota-progress', state: 'downloading' },
    {
      id: 'feedback',
      pattern: /^hawkbit: Reporting deployment feedback (?<finished>\w+) \((?<execution>\w+)\) for action (?<actionId>\d+)/,
      kind: 'feedback',
    },
    { id: 'installed', pattern: /^hawkbit: (?:Update installed|Image id (?<actionId>\d+) flashed successfully, rebooting now)/, kind: 'ota-complete', state: 'installing' },
    { id: 'reboot', pattern: /^hawkbit: Rebooting to the updated image/, kind: 'reboot', state: 'rebooting' },
    {
      id: 'failed',
      pattern:
        /^hawkbit: (?<error>Update failed|Download incomplete|Failed to validate stored firmware|Failed to write flash[^]*|Failed to mark the image in slot 1 as pending|HTTP request denied[^]*|Network error|Permission error|Metadata error|hawkBit update cancelled from server)/,
      kind: 'ota-error',
      state: 'failed',
    },
  ],
};
