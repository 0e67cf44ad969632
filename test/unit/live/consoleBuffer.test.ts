import * as assert from 'node:assert/strict';
import { ConsoleBuffer, isPollChatter } from '../../../webview/consoleBuffer';
import type { ConsoleLine } from '../../../webview/protocol';
import { LogParser } from '../../../src/device/parsers/logParser';

const line = (device: string, time: number, text: string, kind?: string): ConsoleLine => ({ device, time, text, ...(kind ? { kind } : {}) });

describe('live view console buffer (webview)', () => {
  it('keeps 2,000 lines per device: an hour of one poll a second cannot push the boot lines of another device out', () => {
    const buffer = new ConsoleBuffer();
    buffer.add([line('a', 0, 'I (31) boot: ESP-IDF v5.1', 'boot')]);
    for (let t = 1; t <= 2_500; t++) buffer.add([line('b', t, 'ota_sim: polling http://x', 'poll')]);
    assert.equal(buffer.linesOf('a').length, 1);
    assert.equal(buffer.linesOf('b').length, 2_000);
    assert.equal(buffer.linesOf('b')[0]!.time, 501);
  });

  it('merges a reloaded view’s history with lines that came in live meanwhile, without duplicates', () => {
    const buffer = new ConsoleBuffer();
    buffer.add([line('a', 5, 'five'), line('a', 6, 'six')]);
    buffer.add([line('a', 1, 'one'), line('a', 5, 'five'), line('a', 6, 'six')]);
    assert.deepEqual(buffer.linesOf('a').map((l) => l.text), ['one', 'five', 'six']);
  });

  it('tells poll chatter by the kind the device log parsers give a line', () => {
    const parser = new LogParser({ device: 'sim', ruleSets: ['esp-idf', 'simulator'] });
    const kindOf = (text: string) => parser.parse({ text, time: 0 })?.kind;
    const poll = line('sim', 1, 'ota_sim: polling http://127.0.0.1:8080/DEFAULT/controller/v1/sim', kindOf('ota_sim: polling http://127.0.0.1:8080/DEFAULT/controller/v1/sim'));
    const none = line('sim', 2, 'ota_sim: no update offered', kindOf('ota_sim: no update offered'));
    const progress = line('sim', 3, 'ota_sim: downloaded 1024/4096 bytes', kindOf('ota_sim: downloaded 1024/4096 bytes'));
    assert.deepEqual([poll, none, progress].map(isPollChatter), [true, true, false]);
  });
});
