import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { ServerEvent } from '../../../src/core/protocol/management';
import { SseClient } from '../../../src/extension/live/sseClient';
import { ManagementClient } from '../../../src/providers/ota/managementClient';
import type { RunningServer } from '../../../src/server/startServer';
import { startServer } from '../../../src/server/startServer';
import { removeDir, tempDir } from '../server/helpers/server';
import { eventually } from '../../helpers/eventually';

const token = 'sse-test-token';

const until = (what: string, done: () => boolean): Promise<true> => eventually(() => done() || undefined, 10_000, what);

describe('SSE client of the management event stream', function () {
  this.timeout(20_000);
  let dir: string;
  const servers: RunningServer[] = [];
  const abort = new AbortController();

  before(async () => (dir = await tempDir('ota-sse-')));
  after(async () => {
    abort.abort();
    for (const s of servers) await s.close(100);
    await removeDir(dir);
  });

  it('keeps its Last-Event-ID across a server restart and still gets the new server\'s first events, stamped with the server\'s time', async () => {
    const first = await startServer({ dataDir: path.join(dir, 'a'), port: 0, token });
    servers.push(first);
    const url = first.url;
    const events: ServerEvent[] = [];
    let opened = 0;
    let drops = 0;
    let resyncs = 0;
    new SseClient(url, token, {
      onOpen: () => opened++,
      onEvent: (e) => events.push(e),
      onDrop: () => drops++,
      beforeReconnect: async () => {
        await new ManagementClient(url, token).status();
        resyncs++;
      },
    }).start(abort.signal);
    await until('the stream open', () => opened === 1);
    const client = new ManagementClient(url, token);
    for (const pid of ['P1', 'P2', 'P3']) await client.bindKeys(pid, ['K']);
    await until('three events', () => events.length === 3);

    await first.close(100);
    // Another data directory: the new server knows nothing of the old one's events or ids.
    const second = await startServer({ dataDir: path.join(dir, 'b'), port: first.port, token });
    servers.push(second);
    // Before the client is back: this event waits in the new server's backlog.
    await new ManagementClient(url, token).bindKeys('P-after-restart', ['K']);
    await until('the event from before the reconnect', () => events.some((e) => (e.data as { pid?: string }).pid === 'P-after-restart'));
    assert.ok(drops >= 1);
    assert.ok(resyncs >= 1);
    assert.equal(opened, 2);
    assert.deepEqual(events.map((e) => (e.data as { pid: string }).pid), ['P1', 'P2', 'P3', 'P-after-restart'], 'each once, none skipped');
    for (let i = 1; i < events.length; i++) assert.ok(events[i]!.id > events[i - 1]!.id, 'ids grow across the restart');
    // The time is the server's, not the arrival's: the replayed event carries the time it was made.
    const onServer = second.service.ctx.events.since(0).find((e) => (e.data as { pid?: string }).pid === 'P-after-restart')!;
    assert.equal(events[3]!.at, onServer.at);
    assert.match(events[0]!.at, /^\d{4}-\d\d-\d\dT/);
  });
});
