import * as assert from 'node:assert/strict';
import { LineAssembler } from '../../../src/device/serial/lineAssembler';
import type { ReceivedLine } from '../../../src/device/serial/lineAssembler';

function collect(maxLineBytes?: number): { lines: ReceivedLine[]; asm: LineAssembler } {
  const lines: ReceivedLine[] = [];
  return { lines, asm: new LineAssembler((l) => lines.push(l), maxLineBytes) };
}

describe('serial line assembly', () => {
  it('joins lines split across chunks and drops the CR of CRLF', () => {
    const { lines, asm } = collect();
    for (const chunk of ['I (31) boot: ESP-', 'IDF v5.0\r', '\nI (32) bo', 'ot: x\nW (40', ') y\r\n']) asm.push(Buffer.from(chunk));
    assert.deepEqual(
      lines.map((l) => l.text),
      ['I (31) boot: ESP-IDF v5.0', 'I (32) boot: x', 'W (40) y'],
    );
  });

  it('decodes a UTF-8 character split between two chunks', () => {
    const { lines, asm } = collect();
    const bytes = Buffer.from('température 25°C\n');
    const cut = bytes.indexOf(0xc3) + 1; // inside the two-byte "é"
    asm.push(bytes.subarray(0, cut));
    asm.push(bytes.subarray(cut));
    assert.equal(lines[0]?.text, 'température 25°C');
  });

  it('keeps ANSI colour codes for display', () => {
    const { lines, asm } = collect();
    asm.push(Buffer.from('\x1b[0;32mI (5) app: ok\x1b[0m\n'));
    assert.equal(lines[0]?.text, '\x1b[0;32mI (5) app: ok\x1b[0m');
  });

  it('slices a line that never ends instead of growing without bound', () => {
    const { lines, asm } = collect(1024);
    asm.push(Buffer.alloc(5000, 0x41));
    asm.push(Buffer.from('\n'));
    assert.deepEqual(
      lines.map((l) => [l.text.length, l.truncated === true]),
      [
        [1024, true],
        [1024, true],
        [1024, true],
        [1024, true],
        [904, false],
      ],
    );
  });

  it('replaces invalid UTF-8 instead of failing, and flushes a trailing prompt', () => {
    const { lines, asm } = collect();
    asm.push(Buffer.from([0xff, 0xfe, 0x41, 0x0a, 0x3e, 0x20]));
    asm.flush();
    assert.deepEqual(
      lines.map((l) => l.text),
      ['\ufffd\ufffdA', '> '],
    );
  });
});
