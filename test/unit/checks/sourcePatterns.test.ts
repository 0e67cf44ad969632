import * as assert from 'node:assert/strict';
import { encodeForSource, scanSource, sourceSyntaxOf } from '../../../src/core/checks/sourcePatterns';
import type { SourceDeclaration } from '../../../src/core/checks/sourcePatterns';

const brief = (d: SourceDeclaration) => [d.field, d.name, d.value, d.line, d.column];
/** The literal a declaration points at, cut from the text by its offsets. */
const cut = (text: string, d: SourceDeclaration) => [text.slice(d.offset, d.offset + d.length), text.slice(d.valueOffset, d.valueOffset + d.valueLength)];

describe('firmware source patterns', () => {
  it('recognises files by name', () => {
    const cases: [string, string | undefined][] = [
      ['main/main.c', 'c'],
      ['src/ota.hpp', 'c'],
      ['blink/blink.ino', 'c'],
      ['C:\\fw\\include\\ota.h', 'c'],
      ['sdkconfig', 'kconfig'],
      ['sdkconfig.defaults', 'kconfig'],
      ['sdkconfig.defaults.esp32s3', 'kconfig'],
      ['sdkconfig.old', undefined],
      ['build/config/sdkconfig.h', 'c'],
      ['app/prj.conf', 'kconfig'],
      ['boards/nrf52840dk.conf', 'kconfig'],
      ['platformio.ini', 'platformio'],
      ['CMakeLists.txt', 'cmake'],
      ['README.md', undefined],
      ['main.c.orig', undefined],
    ];
    assert.deepEqual(cases.map(([f]) => [f, sourceSyntaxOf(f)]), cases);
  });

  it('C: #define NAME "value", with spaces around #, both key names, and escapes', () => {
    const text = [
      '#include <stdio.h>',
      '#define OTA_FW_KEY "plug-key-2024"',
      '  #  define   OTA_CHANNEL\t"main" /* the Wi-Fi module */',
      '#define OTA_PID "plug01"',
      '#define OTA_FIRMWARE_KEY "a\\"b"',
      '#define OTA_FW_KEY_LEN 13',
      '#define NOT_OTA_FW_KEY "x"',
    ].join('\n');
    const found = scanSource('/ws/main/main.c', text);
    assert.deepEqual(found.map(brief), [
      ['firmwareKey', 'OTA_FW_KEY', 'plug-key-2024', 2, 20],
      ['channel', 'OTA_CHANNEL', 'main', 3, 27],
      ['pid', 'OTA_PID', 'plug01', 4, 17],
      ['firmwareKey', 'OTA_FIRMWARE_KEY', 'a"b', 5, 26],
    ]);
    assert.deepEqual(cut(text, found[0]!), ['"plug-key-2024"', 'plug-key-2024']);
    assert.deepEqual(cut(text, found[3]!), ['"a\\"b"', 'a\\"b']);
    assert.deepEqual([found[0]!.endLine, found[0]!.endColumn], [2, 35]);
  });

  it('C: commented-out defines do not count', () => {
    const text = '// #define OTA_FW_KEY "old"\n/*\n#define OTA_FW_KEY "older"\n*/\n#define OTA_FW_KEY "new" // was "old"\n';
    assert.deepEqual(scanSource('x.h', text).map((d) => [d.value, d.line]), [['new', 5]]);
  });

  it('Kconfig: CONFIG_OTA_… in sdkconfig and prj.conf; "is not set" comments skipped', () => {
    const text = '# CONFIG_OTA_PID is not set\nCONFIG_OTA_FW_KEY="plug-key-2024"\nCONFIG_OTA_CHANNEL="ma#in"\nCONFIG_OTA_FW_KEY_EXTRA="no"\nOTA_FW_KEY="bare names are not Kconfig"\n';
    const found = scanSource('sdkconfig.defaults', text);
    assert.deepEqual(found.map(brief), [
      ['firmwareKey', 'CONFIG_OTA_FW_KEY', 'plug-key-2024', 2, 19],
      ['channel', 'CONFIG_OTA_CHANNEL', 'ma#in', 3, 20],
    ]);
    assert.deepEqual(scanSource('prj.conf', 'CONFIG_BOOTLOADER_MCUBOOT=y\nCONFIG_OTA_PID = "nrf-sensor"\n').map(brief), [['pid', 'CONFIG_OTA_PID', 'nrf-sensor', 2, 18]]);
  });

  it('PlatformIO: -D flags with \\"…\\", with quotes around the flag, multi-line build_flags; comments skipped', () => {
    const text = [
      '[env:esp32dev]',
      'platform = espressif32',
      'build_flags =',
      '    -DOTA_FW_KEY=\\"plug-key-2024\\"',
      "    '-D OTA_CHANNEL=\"main\"'",
      '; -DOTA_PID=\\"commented\\"',
      '    -DOTA_PID=\\"plug01\\" ; the product',
    ].join('\n');
    const found = scanSource('/ws/platformio.ini', text);
    assert.deepEqual(found.map(brief), [
      ['firmwareKey', 'OTA_FW_KEY', 'plug-key-2024', 4, 18],
      ['channel', 'OTA_CHANNEL', 'main', 5, 21],
      ['pid', 'OTA_PID', 'plug01', 7, 15],
    ]);
    assert.deepEqual(cut(text, found[0]!), ['\\"plug-key-2024\\"', 'plug-key-2024']);
    assert.deepEqual(cut(text, found[1]!), ['"main"', 'main']);
  });

  it('CMake: compile definitions', () => {
    const text = '# OTA_FW_KEY="commented"\ntarget_compile_definitions(app PRIVATE OTA_FW_KEY="k1" OTA_CHANNEL="main")\n';
    assert.deepEqual(scanSource('CMakeLists.txt', text).map((d) => [d.field, d.value, d.line]), [
      ['firmwareKey', 'k1', 2],
      ['channel', 'main', 2],
    ]);
  });

  it('names are configurable', () => {
    const names = { firmwareKey: ['FW_KEY'], channel: ['FW_TYPE'], pid: ['PRODUCT_ID'] };
    const text = '#define FW_KEY "k"\n#define FW_TYPE "mcu"\n#define OTA_FW_KEY "ignored"\n#define PRODUCT_ID "p"\n';
    assert.deepEqual(scanSource('a.c', text, names).map((d) => [d.field, d.value]), [
      ['firmwareKey', 'k'],
      ['channel', 'mcu'],
      ['pid', 'p'],
    ]);
    assert.deepEqual(scanSource('sdkconfig', 'CONFIG_FW_KEY="k"\n', names).map((d) => d.field), ['firmwareKey']);
  });

  it('files of other kinds and files without the names give nothing', () => {
    assert.deepEqual(scanSource('README.md', '#define OTA_FW_KEY "x"'), []);
    assert.deepEqual(scanSource('main.c', 'int main(void) { return 0; }'), []);
  });

  it('values are encoded for the syntax they go into', () => {
    assert.equal(encodeForSource('c', 'a"b\\c'), 'a\\"b\\\\c');
    assert.equal(encodeForSource('kconfig', 'key-1'), 'key-1');
    assert.equal(encodeForSource('platformio', 'key 1'), undefined);
    assert.equal(encodeForSource('c', 'two\nlines'), undefined);
  });
});
