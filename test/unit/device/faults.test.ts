import * as assert from 'node:assert/strict';
import { describeFault, parseFault, resolveMark } from '../../../src/device/simulator/faults';

describe('simulator fault specs', () => {
  it('reads every fault form the CLI accepts', () => {
    assert.deepEqual(parseFault('drop:59s@50%'), { kind: 'drop', seconds: 59, at: { fraction: 0.5 } });
    assert.deepEqual(parseFault('drop:10@32768'), { kind: 'drop', seconds: 10, at: { bytes: 32768 } });
    assert.deepEqual(parseFault('bandwidth:20kbps'), { kind: 'bandwidth', bytesPerSecond: 2500 });
    assert.deepEqual(parseFault('bandwidth:4000'), { kind: 'bandwidth', bytesPerSecond: 4000 });
    assert.deepEqual(parseFault('power-loss@install'), { kind: 'power-loss', at: 'install' });
    assert.deepEqual(parseFault('power-loss@10%'), { kind: 'power-loss', at: { fraction: 0.1 } });
    assert.deepEqual(parseFault('flip@100'), { kind: 'flip', at: { bytes: 100 } });
    assert.deepEqual(parseFault('wrong-key'), { kind: 'wrong-key' });
    assert.deepEqual(parseFault('wrong-channel'), { kind: 'wrong-channel' });
    assert.deepEqual(parseFault('self-test:fail'), { kind: 'self-test', fail: true });
    assert.deepEqual(parseFault('self-test:slow=2.5s'), { kind: 'self-test', fail: false, ms: 2500 });
  });

  it('explains a bad fault with the accepted forms', () => {
    assert.throws(() => parseFault('drop:10s@150%'), /is not a byte offset or a percentage/);
    assert.throws(() => parseFault('bandwidth:0'), /must be a positive number/);
    assert.throws(
      () => parseFault('unplug'),
      (err: Error & { hint?: string }) => /unknown fault "unplug"/.test(err.message) && /power-loss@MARK\|install/.test(err.hint ?? ''),
    );
  });

  it('places marks in the image and describes faults for people', () => {
    assert.equal(resolveMark({ fraction: 0.4 }, 65536), 26214);
    assert.equal(resolveMark({ bytes: 7 }, 65536), 7);
    assert.equal(describeFault(parseFault('bandwidth:20kbps')), 'bandwidth 2500 bytes/s (20 kbps)');
    assert.equal(describeFault(parseFault('drop:61s@50%')), 'network drop for 61 s at 50%');
  });
});
