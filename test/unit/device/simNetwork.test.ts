import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { NetworkDown, SimNetwork } from '../../../src/device/simulator/simNetwork';

describe("simulated device's network", () => {
  let server: http.Server;
  let url: string;
  const body = Buffer.alloc(512 * 1024, 0x5a);

  before(async () => {
    // A plain server that sends 512 KiB at once, and a slow one that trickles for a while.
    server = http.createServer((req, res) => {
      if (req.url === '/slow') {
        res.writeHead(200, { 'Content-Length': '1000' });
        const timer = setInterval(() => res.write(Buffer.alloc(10)), 20);
        res.on('close', () => clearInterval(timer));
        return;
      }
      res.writeHead(200, { 'Content-Length': String(body.length) }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('does not count its own bandwidth cap as the server being silent', async () => {
    // 512 KiB at 256 KiB/s takes two seconds, each 64 KiB read held back ~250 ms: longer than the
    // 100 ms idle timeout, while the socket (paused by us) shows no activity.
    const net = new SimNetwork({ bytesPerSecond: 256 * 1024, idleTimeoutMs: 100 });
    let received = 0;
    const answer = await net.download(`${url}/fast`, new AbortController().signal, {}, async (chunk) => {
      received += chunk.length;
    });
    assert.deepEqual([answer.status, received], [200, body.length]);
  });

  it('still fails a server that really goes quiet', async () => {
    const quiet = http.createServer((_req, res) => res.writeHead(200, { 'Content-Length': '10' }).write('x'));
    await new Promise<void>((resolve) => quiet.listen(0, '127.0.0.1', resolve));
    try {
      const net = new SimNetwork({ idleTimeoutMs: 200 });
      const port = (quiet.address() as AddressInfo).port;
      await assert.rejects(net.download(`http://127.0.0.1:${port}/`, new AbortController().signal, {}, async () => undefined), /no answer for 0\.2 s/);
    } finally {
      quiet.closeAllConnections();
      await new Promise<void>((resolve) => quiet.close(() => resolve()));
    }
  });

  it('cuts a transfer in flight when the link drops, and refuses requests until it is back', async () => {
    const net = new SimNetwork();
    let got = 0;
    const transfer = net.download(`${url}/slow`, new AbortController().signal, {}, async (chunk) => {
      got += chunk.length;
      if (got >= 50) net.down(300);
    });
    await assert.rejects(transfer, NetworkDown);
    assert.ok(net.isDown);
    await assert.rejects(net.request('GET', `${url}/fast`, undefined, new AbortController().signal), NetworkDown);
    await net.waitUntilUp(new AbortController().signal);
    assert.equal((await net.request('GET', `${url}/fast`, undefined, new AbortController().signal)).body.length, body.length);
  });
});
