import type { RuleSet } from '../logRule';

/**
 * MCUboot's boot log (Zephyr "I: …", or "[INF] …" on other ports): slot states, the swap type it
 * decides on, the image version, downgrade prevention and the fatal "Unable to find bootable image".
 */
export const mcubootRules: RuleSet = {
  name: 'mcuboot',
  rules: [
    { id: 'banner', pattern: /\*\*\* Booting MCUboot (?<mcubootVersion>\S+)/, kind: 'boot', state: 'booting' },
    { id: 'start', pattern: /^(?:main: )?Starting bootloader/, kind: 'boot', state: 'booting' },
    {
      id: 'slot-state',
      pattern: /(?<slot>Primary|Secondary) image: magic=(?<magic>\w+), swap_type=(?<swapTypeCode>0x[0-9a-f]+), copy_done=(?<copyDone>0x[0-9a-f]+), image_ok=(?<imageOk>0x[0-9a-f]+)/,
      kind: 'boot',
    },
    { id: 'boot-source', pattern: /Boot source: (?<bootSource>.+)$/, kind: 'boot' },
    {
      id: 'swap-type',
      pattern: /(?:Image index: (?<imageIndex>\d+), )?Swap type: (?<swapType>none|test|perm|revert|fail|panic)/,
      kind: 'swap',
      decide: (g) => {
        switch (g['swapType']) {
          case 'none':
            return { kind: 'boot', state: 'booting' };
          case 'test':
          case 'perm':
            return { kind: 'swap', state: 'installing' };
          case 'revert':
            return { kind: 'rollback', state: 'rolled-back' };
          default:
            return { kind: 'boot-error', state: 'failed' };
        }
      },
    },
    { id: 'swap-start', pattern: /Starting swap using (?<algorithm>[\w-]+) algorithm/, kind: 'swap', state: 'installing' },
    { id: 'image-version', pattern: /Image version: v?(?<version>\d+\.\d+\.\d+(?:\+\d+)?)/, kind: 'app-info' },
    { id: 'downgrade', pattern: /(?<error>[Ii]nsufficient version in secondary slot)/, kind: 'ota-error', state: 'failed' },
    { id: 'slot-invalid', pattern: /(?<error>Image in the (?<slot>primary|secondary) slot is not valid!?)/, kind: 'boot-error', state: 'failed' },
    { id: 'no-image', pattern: /(?<error>Unable to find bootable image)/, kind: 'boot-error', state: 'failed' },
    { id: 'jump', pattern: /Jumping to the first image slot|Bootloader chainload address offset: (?<chainloadOffset>0x[0-9a-f]+)/, kind: 'boot', state: 'booting' },
  ],
};
