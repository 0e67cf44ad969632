import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { maxBufferedBytes } from '../../../src/server/routes/events';
import { removeDir, start, tempDir, token } from './helpers/server';

/** Opens the event stream; `read: false` leaves the socket unread, like a client that stalled. */
function subscribe(url: string, read: boolean): Promise<{ req: http.ClientRequest; received: () => string }> {
  return new Promise((resolve, reject) => {
    let tail = '';
    const req = http.get(`${url}/api/v1/events`, { headers: { authorization: `Bearer ${token}`, 'last-event-id': String(Number.MAX_SAFE_INTEGER) } }, (res) => {
      if (!read) res.pause();
      res.on('data', (c: Buffer) => {
        // Only the end matters (which event came last); the whole stream would be megabytes.
        tail = (tail + c.toString('utf8')).slice(-4096);
      });
      res.on('error', () => undefined);
      resolve({ req, received: () => tail });
    });
    req.on('error', reject);
  });
}

describe('SSE backpressure', () => {
  it('drops a subscriber that stops reading once its buffer passes the limit; a reading one keeps its stream', async () => {
    const dir = await tempDir();
    const server = await start(dir);
    const bus = server.service.ctx.events;
    const stalled = await subscribe(server.url, false);
    const reader = await subscribe(server.url, true);
    try {
      assert.equal(bus.size, 2);
      const pad = 'x'.repeat(64 * 1024);
      let sent = 0;
      // Far more than the limit plus what loopback socket buffers can hold, paced by the reader.
      while (bus.size === 2 && sent < 2000) {
        // The marker ends the frame's data line, so the kept tail of the stream shows it.
        const marker = `"n":${sent}}`;
        bus.emit('session.updated', { pad, n: sent++ }, false);
        const until = Date.now() + 10_000;
        while (!reader.received().includes(marker) && Date.now() < until) await new Promise((r) => setImmediate(r));
        assert.ok(reader.received().includes(marker), `the reading subscriber got event ${sent}`);
      }
      assert.equal(bus.size, 1, `the stalled subscriber was dropped (after ${sent} events of 64 KiB, limit ${maxBufferedBytes} B)`);
      assert.ok(sent * pad.length > maxBufferedBytes);
      // The one that reads is still subscribed and still gets what comes next.
      const next = bus.emit('session.updated', { n: 'after' }, false);
      while (!reader.received().includes(`id: ${next.id}\n`)) await new Promise((r) => setImmediate(r));
    } finally {
      stalled.req.destroy();
      reader.req.destroy();
      await server.close(0);
      await removeDir(dir);
    }
  });
});
