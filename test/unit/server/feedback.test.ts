import * as assert from 'node:assert/strict';
import { readFeedback } from '../../../src/server/feedback';

const fb = (execution: string, finished = 'none', extra: Record<string, unknown> = {}) => ({ status: { execution, result: { finished, ...extra }, details: ['d1', 'd2'] } });

describe('hawkBit feedback', () => {
  it('maps execution and result onto the session state', () => {
    assert.equal(readFeedback('downloaded', fb('closed', 'success')).state, 'succeeded');
    assert.equal(readFeedback('downloaded', fb('closed', 'success')).progress, 1);
    assert.deepEqual(readFeedback('installing', fb('closed', 'failure')), { state: 'failed', reason: 'device reported failure: d1; d2', details: ['d1', 'd2'] });
    assert.equal(readFeedback('offered', fb('rejected')).reason, 'device rejected the update: d1; d2');
    assert.equal(readFeedback('downloading', fb('canceled')).state, 'cancelled');
    assert.equal(readFeedback('offered', fb('downloading')).state, 'downloading');
    assert.equal(readFeedback('downloading', fb('downloaded')).state, 'downloaded');
    assert.equal(readFeedback('downloaded', fb('proceeding')).state, 'installing');
    assert.equal(readFeedback('downloading', fb('proceeding')).state, 'downloading', 'proceeding before the download ends changes nothing');
    assert.equal(readFeedback('downloaded', fb('resumed')).state, 'downloaded', 'a download resumed after a cut is not an install');
    assert.equal(readFeedback('installing', fb('resumed')).state, 'installing');
    assert.equal(readFeedback('installing', fb('closed', 'none')).state, 'installing');
  });

  it('reads progress cnt/of, bounded to 0..1', () => {
    assert.equal(readFeedback('downloading', fb('proceeding', 'none', { progress: { cnt: 1, of: 4 } })).progress, 0.25);
    assert.equal(readFeedback('downloading', fb('proceeding', 'none', { progress: { cnt: 9, of: 4 } })).progress, 1);
    assert.equal(readFeedback('downloading', fb('proceeding', 'none', { progress: { cnt: 1, of: 0 } })).progress, undefined);
  });

  it('answers bad feedback with a reason', () => {
    assert.throws(() => readFeedback('offered', {}), /status.execution/);
    assert.throws(() => readFeedback('offered', null), /status.execution/);
    assert.throws(() => readFeedback('offered', fb('exploded')), /unknown execution status "exploded"/);
  });
});
