import * as assert from 'node:assert/strict';
import { parseRange, rangesFor, resolveRanges } from '../../../src/core/http/range';

function resolve(header: string, size: number) {
  const parsed = parseRange(header);
  return parsed.kind === 'ignore' ? parsed : resolveRanges(parsed.specs, size);
}

describe('http range', () => {
  it('parses bounded, open-ended and suffix specs into a tagged union', () => {
    assert.deepEqual(parseRange('bytes=0-9, 20-,-5'), {
      kind: 'ranges',
      specs: [
        { kind: 'bounded', start: 0n, end: 9n },
        { kind: 'open-ended', start: 20n },
        { kind: 'suffix', length: 5n },
      ],
    });
  });

  it('ignores other units, bad syntax, empty sets and too many ranges', () => {
    for (const header of ['items=0-1', 'bytes', 'bytes=', 'bytes=a-b', 'bytes=1-2-3', 'bytes=--1', 'bytes = 0-1', 'bytes=0x10-', `bytes=${'0-0,'.repeat(65)}`]) {
      assert.equal(parseRange(header).kind, 'ignore', header);
    }
    assert.equal(parseRange('BYTES=0-1').kind, 'ranges');
  });

  it('clamps a last end at or past the length (esp_https_ota asks for one past the end)', () => {
    assert.deepEqual(resolve('bytes=90-100', 100), { kind: 'satisfiable', ranges: [{ start: 90, end: 99 }] });
    assert.deepEqual(resolve('bytes=90-99999999999999999999999', 100), { kind: 'satisfiable', ranges: [{ start: 90, end: 99 }] });
  });

  it('resolves suffix ranges, including one longer than the file', () => {
    assert.deepEqual(resolve('bytes=-10', 100), { kind: 'satisfiable', ranges: [{ start: 90, end: 99 }] });
    assert.deepEqual(resolve('bytes=-1000', 100), { kind: 'satisfiable', ranges: [{ start: 0, end: 99 }] });
  });

  it('answers unsatisfiable when no range overlaps the file', () => {
    assert.deepEqual(resolve('bytes=100-', 100), { kind: 'unsatisfiable' });
    assert.deepEqual(resolve('bytes=-0', 100), { kind: 'unsatisfiable' });
    assert.deepEqual(resolve('bytes=5-3', 100), { kind: 'unsatisfiable' });
    assert.deepEqual(resolve('bytes=0-', 0), { kind: 'unsatisfiable' });
    assert.deepEqual(resolve('bytes=-5', 0), { kind: 'unsatisfiable' });
  });

  it('drops unsatisfiable members of a set and keeps the client order', () => {
    assert.deepEqual(resolve('bytes=50-59,200-300,0-4', 100), {
      kind: 'satisfiable',
      ranges: [
        { start: 50, end: 59 },
        { start: 0, end: 4 },
      ],
    });
  });

  it('gives the same answer on its short path for one range as the full parse does', () => {
    const resolveFull = (header: string, size: number) => {
      const parsed = parseRange(header);
      return parsed.kind === 'ignore' ? undefined : resolveRanges(parsed.specs, size);
    };
    const numbers = ['0', '1', '7', '007', '99', '100', '101', '4095', '4096', '999999999999999', '9999999999999999', '99999999999999999999', ''];
    let checked = 0;
    for (const size of [0, 1, 100, 4096, 1024 * 1024]) {
      for (const a of numbers) {
        for (const b of numbers) {
          for (const header of [`bytes=${a}-${b}`, `BYTES=${a}-${b}`, `bytes=${a}-${b},`, `bytes= ${a}-${b}`, `bytes=-${a}${b}`]) {
            assert.deepEqual(rangesFor(header, size), resolveFull(header, size), `${header} of ${size} bytes`);
            checked++;
          }
        }
      }
    }
    assert.ok(checked > 4000);
  });
});
