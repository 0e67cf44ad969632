import * as http from 'node:http';
import * as https from 'node:https';

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  agent?: http.Agent;
  ca?: string;
}

/** One real HTTP(S) request, the whole body collected. */
export function request(url: string, options: RequestOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const mod = u.protocol === 'https:' ? https : http;
    const req = mod.request(
      u,
      { method: options.method ?? 'GET', headers: options.headers, agent: options.agent, ...(options.ca ? { ca: options.ca } : {}) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Splits a multipart/byteranges body into its parts. */
export function parseMultipart(body: Buffer, contentType: string): { contentRange: string; data: Buffer }[] {
  const m = /boundary=([^;]+)/.exec(contentType);
  if (!m) throw new Error(`no boundary in ${contentType}`);
  const delimiter = Buffer.from(`--${m[1]}`, 'latin1');
  const parts: { contentRange: string; data: Buffer }[] = [];
  let at = body.indexOf(delimiter);
  if (at !== 0) throw new Error('body does not start with the boundary');
  for (;;) {
    const afterDelim = at + delimiter.length;
    if (body.subarray(afterDelim, afterDelim + 2).toString('latin1') === '--') {
      if (body.subarray(afterDelim + 2).toString('latin1') !== '\r\n') throw new Error('bad closing delimiter');
      return parts;
    }
    const headerEnd = body.indexOf('\r\n\r\n', afterDelim);
    const headers = body.subarray(afterDelim + 2, headerEnd).toString('latin1').split('\r\n');
    const cr = headers.find((h) => h.toLowerCase().startsWith('content-range:'));
    if (!cr) throw new Error('part without Content-Range');
    const contentRange = cr.slice('content-range:'.length).trim();
    const rm = /^bytes (\d+)-(\d+)\/\d+$/.exec(contentRange);
    if (!rm) throw new Error(`bad part Content-Range ${contentRange}`);
    const len = Number(rm[2]) - Number(rm[1]) + 1;
    const dataStart = headerEnd + 4;
    parts.push({ contentRange, data: body.subarray(dataStart, dataStart + len) });
    const next = dataStart + len;
    if (body.subarray(next, next + 2).toString('latin1') !== '\r\n') throw new Error('part not followed by CRLF');
    at = next + 2;
    if (!body.subarray(at, at + delimiter.length).equals(delimiter)) throw new Error('missing delimiter');
  }
}
