import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { LineAssembler } from '../../../src/device/serial/lineAssembler';
import type { ReceivedLine } from '../../../src/device/serial/lineAssembler';
import { LogParser, ruleSetsFor } from '../../../src/device/parsers/logParser';
import type { DeviceEvent } from '../../../src/device/parsers/deviceEvent';
import { compileUserRules } from '../../../src/device/parsers/userRules';
import { plainText } from '../../../src/device/parsers/ansi';
import { fixtureLog, summary } from './helpers/fixtureLogs';

/** Feeds a recorded log through the line assembler in uneven chunks, as a serial port would. */
function parseLog(name: string, parser = new LogParser({ device: 'dev1' })): DeviceEvent[] {
  const bytes = readFileSync(fixtureLog(name));
  const events: DeviceEvent[] = [];
  const asm = new LineAssembler((line) => {
    const event = parser.parse(line);
    if (event) events.push(event);
  });
  for (let i = 0, size = 1; i < bytes.length; i += size, size = (size * 7 + 3) % 61) asm.push(bytes.subarray(i, i + size));
  asm.flush();
  return events;
}

function line(text: string): ReceivedLine {
  return { time: 1_700_000_000_000, text };
}

describe('device log parsing', () => {
  it('reads an ESP-IDF OTA: boot banner, version and ELF SHA, progress, reboot, confirmation', () => {
    const events = parseLog('esp-idf-ota.log');
    const versions = events.filter((e) => e.kind === 'app-info' && e.version).map((e) => [e.source, e.version]);
    assert.deepEqual(versions, [
      ['esp-idf/app-version', '1.0.0'],
      ['esp-idf/running-version', '1.0.0'],
      ['esp-idf/app-version', '1.0.1'],
    ]);
    assert.deepEqual(
      events.filter((e) => e.fields?.['elfSha256']).map((e) => e.fields?.['elfSha256']),
      ['4f0a6cc21b9e73d5', 'c07d5e2291aa40b8'],
    );
    const newVersion = events.find((e) => e.fields?.['newVersion']);
    assert.equal(newVersion?.fields?.['newVersion'], '1.0.1');
    assert.deepEqual(
      events.filter((e) => e.kind === 'ota-progress').map((e) => e.fields?.['done']),
      ['32768', '65536', '98304', '131072', '164864'],
    );
    assert.deepEqual(
      events.filter((e) => ['ota-complete', 'confirmed'].includes(e.kind)).map(summary),
      ['ota-complete rebooting', 'confirmed confirmed'],
    );
    const banner = events.find((e) => e.source === 'esp-idf/app-version');
    assert.equal(banner?.deviceTime, '291', 'the device timestamp (ms since boot) is kept');
    assert.equal(banner?.line, '\x1b[0;32mI (291) app_init: App version:      1.0.0\x1b[0m', 'colours kept for display');
  });

  it('reads an ESP-IDF rollback, a same-version refusal and a corrupt image', () => {
    const events = parseLog('esp-idf-rollback.log');
    assert.deepEqual(
      events.filter((e) => ['rollback', 'ota-error', 'reboot'].includes(e.kind) || e.source === 'esp-idf/app-version').map(summary),
      [
        'app-info running 1.0.0',
        'reboot rebooting',
        'app-info running 1.0.2',
        'rollback rolled-back',
        'app-info running 1.0.0',
        'ota-error failed',
        'ota-error failed',
      ],
    );
    assert.equal(events.at(-1)?.fields?.['error'], 'Image hash failed - image is corrupt');
  });

  it('reads MCUboot: swap types, image versions, revert and downgrade prevention', () => {
    const events = parseLog('mcuboot-swap.log', new LogParser({ device: 'nrf1', ruleSets: ['mcuboot', 'zephyr'] }));
    assert.deepEqual(
      events.filter((e) => e.fields?.['swapType'] || e.kind === 'ota-error' || e.version).map((e) => `${summary(e)} ${e.fields?.['swapType'] ?? ''}`.trim()),
      ['swap installing test', 'app-info - 1.2.3', 'rollback rolled-back revert', 'app-info - 1.2.2', 'swap installing perm', 'ota-error failed', 'app-info - 1.2.2'],
    );
    assert.deepEqual(
      events.filter((e) => e.source.startsWith('zephyr/')).map(summary),
      ['boot booting', 'pending-verify pending-verify', 'poll checking', 'no-update idle'],
    );
  });

  it('reads "Unable to find bootable image" as a boot failure', () => {
    const events = parseLog('mcuboot-no-image.log');
    assert.deepEqual(events.slice(-2).map((e) => [e.kind, e.state, e.fields?.['error']]), [
      ['boot-error', 'failed', 'Image in the primary slot is not valid!'],
      ['boot-error', 'failed', 'Unable to find bootable image'],
    ]);
  });

  it("reads Zephyr's hawkBit client with its timestamps", () => {
    const events = parseLog('zephyr-hawkbit.log');
    assert.deepEqual(events.map(summary), [
      'boot booting',
      'confirmed confirmed',
      'poll checking',
      'ota-start downloading',
      'ota-progress downloading 10%',
      'ota-progress downloading 55%',
      'ota-progress downloading 100%',
      'feedback -',
      'ota-complete installing',
      'reboot rebooting',
      'ota-error failed',
      'ota-error failed',
    ]);
    assert.equal(events[4]?.deviceTime, '00:00:04.102,000');
    assert.deepEqual(events[7]?.fields, { finished: 'success', execution: 'closed', actionId: '12' });
  });

  it('reads Arduino HTTPUpdate progress callbacks and return codes', () => {
    const events = parseLog('arduino-httpupdate.log');
    assert.deepEqual(
      events.filter((e) => e.kind !== 'poll').map(summary),
      [
        'ota-start downloading',
        'ota-start downloading',
        'ota-progress downloading 0%',
        'ota-progress downloading 50%',
        'ota-progress downloading 100%',
        'ota-complete rebooting',
        'ota-complete rebooting',
        'no-update idle',
        'ota-error failed',
        'ota-error failed',
      ],
    );
    assert.equal(events.at(-1)?.fields?.['error'], 'Verify Bin Header Failed');
  });

  it('applies user rules first: named groups become fields, and the device timestamp is kept', () => {
    const rules = compileUserRules([
      { name: 'banner', pattern: 'fw=(?<version>\\S+) key=(?<fwKey>\\w+) ch=(?<channel>\\w+)', kind: 'attributes' },
      { name: 'pct', pattern: 'flash (?<progress>\\d+)% (?<phase>\\w+)', kind: 'ota-progress', state: 'installing', flags: 'i' },
    ]);
    const parser = new LogParser({ device: 'x', userRules: rules, ruleSets: [] });
    const a = parser.parse(line('\x1b[0;32mI (77) main: fw=2.4.0 key=k9Ab ch=main\x1b[0m'));
    assert.deepEqual(
      a && { kind: a.kind, version: a.version, fwKey: a.fwKey, channel: a.channel, deviceTime: a.deviceTime },
      { kind: 'attributes', version: '2.4.0', fwKey: 'k9Ab', channel: 'main', deviceTime: '77' },
    );
    const b = parser.parse(line('FLASH 42% erase'));
    assert.deepEqual(b && [b.kind, b.state, b.progress, b.fields], ['ota-progress', 'installing', 42, { phase: 'erase' }]);
    assert.equal(parser.parse(line('I (5) boot: ESP-IDF v5.1 2nd stage bootloader')), undefined, 'built-in sets disabled');
  });

  it('rejects a broken user rule with its index, name and a hint', () => {
    assert.throws(
      () => compileUserRules([{ name: 'ok', pattern: 'x' }, { name: 'bad', pattern: '(?<v>unclosed' }], 'devices[0].logRules'),
      (err: Error & { describe?: () => string }) => /devices\[0\]\.logRules\[1\] \(bad\): the pattern is not a valid regular expression/.test(err.describe?.() ?? ''),
    );
    assert.throws(() => compileUserRules([{ name: 'k', pattern: 'x', kind: 'explode' as never }]), /unknown kind "explode"/);
  });

  it('reads ESP-IDF lines without colours and with the system-time timestamp source', () => {
    const parser = new LogParser({ device: 'x', ruleSets: ['esp-idf'] });
    const e = parser.parse(line('I (12:00:01.123) app_init: App version:      3.1.4'));
    assert.deepEqual(e && [e.kind, e.version, e.deviceTime], ['app-info', '3.1.4', '12:00:01.123']);
    const older = parser.parse(line('I (182) cpu_start: App version:      v2.0-rc1'));
    assert.equal(older?.version, 'v2.0-rc1', 'IDF before 5.1 prints the block from cpu_start');
  });

  it('maps the config\'s logParser setting to rule sets', () => {
    assert.deepEqual(ruleSetsFor('zephyr'), ['mcuboot', 'zephyr']);
    assert.deepEqual(ruleSetsFor('plain'), []);
    const zephyr = new LogParser({ device: 'z', ruleSets: ruleSetsFor('zephyr') });
    assert.equal(zephyr.parse(line('I: Swap type: revert'))?.kind, 'rollback');
    assert.equal(zephyr.parse(line('I (291) app_init: App version:      1.0.0')), undefined, 'no ESP-IDF rules for a Zephyr board');
  });

  it('strips colours and control characters for matching only', () => {
    assert.equal(plainText('\x1b[1;31mE (9) x: \x1b]0;title\x07bad\x1b[0m\x00\x07'), 'E (9) x: bad');
  });

  it('never throws on binary garbage, a 1 MB line, invalid UTF-8 or escape soup', () => {
    const parser = new LogParser({ device: 'fuzz' });
    let seed = 12345;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16) & 0xff;
    const lines: ReceivedLine[] = [];
    const asm = new LineAssembler((l) => lines.push(l));
    asm.push(Buffer.from(Array.from({ length: 256 * 1024 }, random)));
    asm.push(Buffer.alloc(1024 * 1024, 0x41)); // 1 MB without a newline
    asm.push(Buffer.from([0x0a, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x28, 0x8c, 0xbc, 0x0a]));
    asm.push(Buffer.from('\x1b['.repeat(50_000) + 'App version: 1\n'));
    asm.flush();
    assert.ok(lines.length > 100);
    for (const l of lines) parser.parse(l);
    // The parser also bounds what it is handed directly, e.g. by a caller without the assembler.
    const huge = parser.parse(line('I (1) app_init: App version:      9.9.9 ' + 'x'.repeat(1024 * 1024)));
    assert.equal(huge?.version, '9.9.9 ' + 'x'.repeat(4096 - 'app_init: App version:      9.9.9 '.length - 'I (1) '.length));
    assert.ok((huge?.line.length ?? 0) <= 2049);
  });
});
