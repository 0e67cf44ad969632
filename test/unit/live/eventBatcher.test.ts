import * as assert from 'node:assert/strict';
import type { ServerEvent, UpdateSession } from '../../../src/core/protocol/management';
import { EventBatcher } from '../../../src/extension/live/eventBatcher';

let nextId = 1;
const event = (type: ServerEvent['type'], data: unknown): ServerEvent => ({ id: nextId++, at: 't', type, data });
const tick = (id: string, state: UpdateSession['state'], progress: number) => event('session.updated', { id, state, progress, deviceId: `d${id}` });
const seen = (id: string, first: boolean) => event('device.seen', { id, firstSeen: 't0', lastSeen: first ? 't0' : 't9' });

describe('live view event batches (host)', () => {
  it('sends one message per interval, with only the newest progress tick of each session and poll of each device', async () => {
    const batches: ServerEvent[][] = [];
    const batcher = new EventBatcher((events) => batches.push(events), 20);
    const events = [seen('a', true), tick('1', 'downloading', 0.1), seen('a', false), tick('1', 'downloading', 0.2), seen('a', false), tick('1', 'downloading', 0.3)];
    for (const e of events) batcher.add(e);
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(batches.length, 1);
    assert.deepEqual(
      batches[0]!.map((e) => e.id),
      [events[0]!.id, events[5]!.id, events[4]!.id],
      'the first contact stays; the replaced events keep their place',
    );
    batcher.dispose();
  });

  it('never merges a change of state: downloading then installing both reach the view, in order', () => {
    const batches: ServerEvent[][] = [];
    const batcher = new EventBatcher((events) => batches.push(events), 1_000);
    const a = tick('1', 'downloading', 0.9);
    const b = tick('1', 'installing', 1);
    const c = tick('1', 'installing', 1);
    for (const e of [a, b, c]) batcher.add(e);
    batcher.send();
    assert.deepEqual(batches[0]!.map((e) => e.id), [a.id, c.id]);
    batcher.dispose();
  });
});
