import * as assert from 'node:assert/strict';
import { Announcements } from '../../../webview/announcements';

describe('live view announcements (polite live region)', () => {
  it('speaks the first change at once, then waits the gap before the next', () => {
    const a = new Announcements(4_000, 3);
    assert.equal(a.dueAt(), undefined);
    a.add('device d1', 'd1: update downloading');
    assert.equal(a.take(1_000), 'd1: update downloading');
    a.add('device d2', 'd2: update downloading');
    assert.equal(a.dueAt(), 5_000);
    assert.equal(a.take(4_999), undefined);
    assert.equal(a.take(5_000), 'd2: update downloading');
    assert.equal(a.take(20_000), undefined, 'nothing left to say');
  });

  it('keeps only the newest change of a subject, in the order subjects last changed', () => {
    const a = new Announcements(4_000, 3);
    a.add('device d1', 'd1: update offered');
    a.add('device d2', 'd2: update offered');
    a.add('device d1', 'd1: update downloading');
    assert.equal(a.take(0), 'd2: update offered. d1: update downloading');
  });

  it('a fleet changing at once is counted rather than read out device by device', () => {
    const a = new Announcements(4_000, 3);
    for (let i = 1; i <= 50; i++) a.add(`device d${i}`, `d${i}: update succeeded`);
    assert.equal(a.take(0), 'd49: update succeeded. d50: update succeeded. 48 more changes');
  });
});
