import type { RuleSet } from '../logRule';

/**
 * ESP-IDF: the ROM reset line, the 2nd stage bootloader, the app's "Application information"
 * block (cpu_start before v5.1, app_init since), esp_https_ota / native OTA example messages,
 * esp_image verification failures and the app-rollback flow. Patterns see "tag: message".
 */
export const espIdfRules: RuleSet = {
  name: 'esp-idf',
  rules: [
    { id: 'rom-reset', pattern: /^rst:(?<resetCode>0x[0-9a-f]+) \((?<resetReason>\w+)\)/i, kind: 'boot', state: 'booting' },
    { id: 'bootloader', pattern: /^boot: ESP-IDF (?<idfVersion>\S+) 2nd stage bootloader/, kind: 'boot', state: 'booting' },
    { id: 'loaded-app', pattern: /^boot: Loaded app from partition at offset (?<partitionOffset>0x[0-9a-f]+)/i, kind: 'boot', state: 'booting' },
    { id: 'no-bootable-app', pattern: /^boot: No bootable app partitions in the partition table/, kind: 'boot-error', state: 'failed' },
    { id: 'project-name', pattern: /^(?:cpu_start|app_init): Project name:\s+(?<project>.+?)\s*$/, kind: 'app-info' },
    { id: 'app-version', pattern: /^(?:cpu_start|app_init): App version:\s+(?<version>.+?)\s*$/, kind: 'app-info', state: 'running' },
    { id: 'elf-sha256', pattern: /^(?:cpu_start|app_init): ELF file SHA256:\s+(?<elfSha256>[0-9a-f]+)/i, kind: 'app-info' },
    { id: 'idf-version', pattern: /^(?:cpu_start|app_init): ESP-IDF:\s+(?<idfVersion>\S+)/, kind: 'app-info' },
    { id: 'running-version', pattern: /Running firmware version: (?<version>\S+)/, kind: 'app-info', state: 'running' },
    { id: 'new-version', pattern: /New firmware version: (?<newVersion>\S+)/, kind: 'ota-start', state: 'downloading' },
    {
      id: 'same-version',
      pattern: /Current running version is the same as a new\. We will not continue the update\./,
      kind: 'ota-error',
      state: 'failed',
    },
    { id: 'ota-example-start', pattern: /Starting (?:Advanced |Simple )?OTA(?: example)?\b/i, kind: 'ota-start', state: 'checking' },
    {
      id: 'writing-partition',
      pattern: /Writing to (?:<(?<partitionLabel>[^>]+)> )?partition(?: subtype (?<subtype>\d+))? at offset (?<partitionOffset>0x[0-9a-f]+)/i,
      kind: 'ota-start',
      state: 'downloading',
    },
    { id: 'image-bytes-read', pattern: /Image bytes read: (?<done>\d+)/, kind: 'ota-progress', state: 'downloading' },
    { id: 'written-length', pattern: /Written image length (?<done>\d+)/, kind: 'ota-progress', state: 'downloading' },
    { id: 'total-write', pattern: /Total Write binary data length: (?<done>\d+)/, kind: 'ota-progress', state: 'verifying' },
    { id: 'ota-success', pattern: /ESP_HTTPS_OTA upgrade successful\. Rebooting|OTA Succeed, Rebooting/, kind: 'ota-complete', state: 'rebooting' },
    { id: 'prepare-restart', pattern: /Prepare to restart system!?/, kind: 'reboot', state: 'rebooting' },
    { id: 'restarting', pattern: /^(?:Restarting now|Rebooting)\.*$/, kind: 'reboot', state: 'rebooting' },
    {
      id: 'https-ota-failed',
      pattern:
        /(?<error>ESP HTTPS OTA Begin failed|ESP_HTTPS_OTA upgrade failed[^]*|Firmware upgrade failed|Complete data was not received\.?|image header verification failed|esp_ota_(?:begin|write|end|set_boot_partition) failed[^]*|Failed to open HTTP connection[^]*|Mismatch chip id, expected \d+, found \d+|Image validation failed, image is corrupted)/,
      kind: 'ota-error',
      state: 'failed',
    },
    {
      id: 'image-corrupt',
      pattern: /^esp_image: (?<error>Checksum failed[^]*|Image hash failed - image is corrupt|image at 0x[0-9a-f]+ has invalid magic byte[^]*)/i,
      kind: 'ota-error',
      state: 'failed',
    },
    { id: 'diagnostics-ok', pattern: /Diagnostics completed successfully! Continuing execution/, kind: 'confirmed', state: 'confirmed' },
    { id: 'diagnostics-failed', pattern: /Diagnostics failed! Start rollback to the previous version/, kind: 'rollback', state: 'rolled-back' },
    { id: 'rollback-restart', pattern: /Rollback to previously worked partition\. Restart\./, kind: 'rollback', state: 'rolled-back' },
    { id: 'rollback-failed', pattern: /(?<error>Rollback failed)/, kind: 'ota-error', state: 'failed' },
  ],
};
