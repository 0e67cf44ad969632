import { connect } from 'node:net';

export interface RawReply {
  status: number;
  /** Header names lower-cased; the last value wins, as Arduino's HTTPClient keeps them. */
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * One request written byte for byte as given (method, HTTP version, headers in order) over a
 * plain TCP socket, as the Arduino cores' HTTPClient writes it; the answer is read until the
 * server closes or Content-Length is reached.
 */
export function rawHttp(url: string, method: string, version: '1.0' | '1.1', headers: [string, string][]): Promise<RawReply> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(u.port), u.hostname);
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = () => {
      if (settled) return;
      const all = Buffer.concat(chunks);
      const end = all.indexOf('\r\n\r\n');
      if (end < 0) return;
      const [statusLine, ...lines] = all.subarray(0, end).toString('latin1').split('\r\n');
      const out: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        out[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const body = all.subarray(end + 4);
      const length = out['content-length'] === undefined ? undefined : Number(out['content-length']);
      if (length !== undefined && body.length < length) return;
      settled = true;
      socket.destroy();
      resolve({ status: Number(/^HTTP\/\d\.\d (\d{3})/.exec(statusLine!)?.[1] ?? 0), headers: out, body: length !== undefined ? body.subarray(0, length) : body });
    };
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      finish();
    });
    socket.on('end', () => {
      finish();
      if (!settled) reject(new Error('connection closed before a whole answer'));
    });
    socket.on('error', (err) => (settled ? undefined : reject(err)));
    const head = [`${method} ${u.pathname}${u.search} HTTP/${version}`, `Host: ${u.host}`, ...headers.map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n');
    socket.write(head, 'latin1');
  });
}
