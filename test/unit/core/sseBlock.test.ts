import * as assert from 'node:assert/strict';
import { readSseBlock, sseBlockSplitter } from '../../../src/core/protocol/sseBlock';

describe('SSE blocks', () => {
  const stream = ': keep-alive\n\nid: 7\nevent: release.created\nat: 2026-11-27T10:00:00Z\ndata: {"id":"3"}\n\nretry: 2000\n\nid: 8\nevent: x\ndata: {broken\n\n';

  it('splits a stream into the same blocks however it is cut into chunks, holding back a partial one', () => {
    const whole: string[] = [];
    sseBlockSplitter((b) => whole.push(b))(stream);
    assert.equal(whole.length, 4);
    for (let size = 1; size <= 7; size++) {
      const blocks: string[] = [];
      const feed = sseBlockSplitter((b) => blocks.push(b));
      for (let at = 0; at < stream.length; at += size) feed(stream.slice(at, at + size));
      assert.deepEqual(blocks, whole, `chunks of ${size}`);
    }
    const partial: string[] = [];
    sseBlockSplitter((b) => partial.push(b))('id: 9\ndata: {}\n');
    assert.deepEqual(partial, []);
  });

  it('reads ids, retry advice and whole events; comments skipped, broken JSON dropped but its id kept', () => {
    const blocks: string[] = [];
    sseBlockSplitter((b) => blocks.push(b))(stream);
    assert.deepEqual(blocks.map(readSseBlock), [
      {},
      { id: 7, event: { id: 7, at: '2026-11-27T10:00:00Z', type: 'release.created', data: { id: '3' } } },
      { retryMs: 2000 },
      { id: 8 },
    ]);
  });
});
