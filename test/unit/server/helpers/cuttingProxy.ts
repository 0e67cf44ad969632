import * as net from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP proxy to 127.0.0.1:`targetPort` that cuts the first `cuts` connections which carry more
 * than `afterBytes` from the client: a link dropping in the middle of an upload.
 */
export async function cuttingProxy(targetPort: number, afterBytes: number, cuts: number): Promise<{ url: string; cutsDone: () => number; close: () => Promise<void> }> {
  let done = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    let sent = 0;
    client.on('data', (chunk: Buffer) => {
      sent += chunk.length;
      if (done < cuts && sent > afterBytes) {
        done++;
        client.destroy();
        upstream.destroy();
        return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    cutsDone: () => done,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}
