import type { DeviceConsole } from './deviceConsole';
import type { EmbeddedVersion } from './embeddedVersion';

/**
 * What an ESP32 prints from reset to app_main: ROM line, 2nd stage bootloader, the app's
 * information block. The serial parser reads exactly these lines from real boards.
 */
export function printBoot(out: DeviceConsole, reason: 'power-on' | 'software', slotOffset: string, running: EmbeddedVersion, fallbackVersion: string): void {
  out.reset();
  if (running.format === 'mcuboot') {
    printMcubootBoot(out, running.version);
    return;
  }
  // The ROM's first line names the chip; the classic ESP32 ROM prints its build date instead.
  const chip = running.format === 'esp-idf' ? running.chip : 'ESP32-S3';
  out.raw(chip === 'ESP32' ? 'ets Jul 29 2019 12:21:46' : `ESP-ROM:${chip.toLowerCase().replace('-', '')}`);
  out.raw(reason === 'power-on' ? 'rst:0x1 (POWERON),boot:0x8 (SPI_FAST_FLASH_BOOT)' : 'rst:0xc (RTC_SW_CPU_RST),boot:0x8 (SPI_FAST_FLASH_BOOT)');
  out.info('boot', 'ESP-IDF v5.1.2 2nd stage bootloader');
  out.info('boot', `Loaded app from partition at offset ${slotOffset}`);
  out.info('app_init', 'Application information:');
  if (running.format === 'esp-idf') {
    out.info('app_init', `Project name:     ${running.projectName}`);
    out.info('app_init', `App version:      ${running.version}`);
    out.info('app_init', `ELF file SHA256:  ${running.elfSha256.slice(0, 16)}...`);
    out.info('app_init', `ESP-IDF:          ${running.idfVersion}`);
  } else {
    out.info('app_init', `App version:      ${running.version ?? fallbackVersion}`);
  }
  out.info('main_task', 'Calling app_main()');
}

/** MCUboot on Zephyr: the bootloader's lines, then the OS banner of the image it chose. */
function printMcubootBoot(out: DeviceConsole, version: string): void {
  out.raw('*** Booting MCUboot v2.1.0 ***');
  out.raw('I: Starting bootloader');
  out.raw('I: Boot source: none');
  out.raw('I: Image index: 0, Swap type: none');
  out.raw(`I: Image version: v${version}`);
  out.raw('I: Jumping to the first image slot');
  out.raw('*** Booting Zephyr OS build v3.6.0 ***');
}
