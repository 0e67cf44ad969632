import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { maxRanges } from '../../../../src/core/http/range';
import { parseMultipart, request } from './http';

/** What a generated request must get back, worked out from how it was generated (not by re-parsing). */
export type Expectation = { kind: 'full' } | { kind: 'unsatisfiable' } | { kind: 'ranges'; ranges: [number, number][] };

export interface FuzzCase {
  method: 'GET' | 'HEAD';
  headers: Record<string, string>;
  expect: Expectation;
}

const garbage = ['abc', '1-2-3', '-', 'x-1', '1 - 2', '0x1-2', '-+1', '1-+2', '+1-2', '1.5-2', '\u00b2-3', '--1', '1--', '=1-2', ';'];

/** Generates one Range request against a file of `size` bytes with the given validators. */
export function generateCase(rnd: () => number, size: number, etag: string, lastModified: string): FuzzCase {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
  const number = (): bigint =>
    pick([0n, 1n, BigInt(Math.max(0, size - 1)), BigInt(size), BigInt(size + 1), BigInt(Math.floor(rnd() * (size + 1))), BigInt(Math.floor(rnd() * (size + 1))), 99999999999999999999n]);
  const ws = () => pick(['', '', '', ' ', '\t', '  ']);

  let ignore = false;
  const unit = pick(['bytes', 'bytes', 'bytes', 'bytes', 'bytes', 'Bytes', 'BYTES', 'bytes ', 'items', '']);
  if (unit.toLowerCase() !== 'bytes') ignore = true;

  const many = rnd() < 0.05;
  const count = many ? maxRanges + 1 + Math.floor(rnd() * 5) : 1 + Math.floor(rnd() * 4);
  const items: string[] = [];
  const ranges: [number, number][] = [];
  const total = BigInt(size);
  let specs = 0;
  for (let i = 0; i < count; i++) {
    const r = rnd();
    if (r < 0.04 && !many) {
      ignore = true;
      items.push(pick(garbage));
      continue;
    }
    if (r < 0.08) {
      items.push(ws()); // an empty list element: tolerated, not a spec
      continue;
    }
    specs++;
    if (r < 0.55) {
      const start = number();
      const end = rnd() < 0.5 ? number() : start + BigInt(Math.floor(rnd() * 64));
      items.push(`${ws()}${start}-${end}${ws()}`);
      if (end >= start && start < total) ranges.push([Number(start), Number(end < total ? end : total - 1n)]);
    } else if (r < 0.75) {
      const start = number();
      items.push(`${ws()}${start}-${ws()}`);
      if (start < total) ranges.push([Number(start), size - 1]);
    } else {
      const length = number();
      items.push(`${ws()}-${length}${ws()}`);
      if (length > 0n && size > 0) ranges.push([length >= total ? 0 : Number(total - length), size - 1]);
    }
  }
  if (specs === 0 || specs > maxRanges) ignore = true;
  const headers: Record<string, string> = { range: `${unit}=${items.join(',')}` };

  const ifRange = rnd();
  if (ifRange < 0.08) headers['if-range'] = etag;
  else if (ifRange < 0.12) headers['if-range'] = '"some-other-etag"';
  else if (ifRange < 0.14) headers['if-range'] = `W/${etag}`;
  else if (ifRange < 0.17) headers['if-range'] = lastModified;
  else if (ifRange < 0.2) {
    headers['if-range'] = 'Thu, 01 Jan 1970 00:00:00 GMT';
    ignore = true;
  }
  if (headers['if-range'] !== undefined && headers['if-range'] !== etag && headers['if-range'] !== lastModified) ignore = true;

  const expect: Expectation = ignore ? { kind: 'full' } : ranges.length === 0 ? { kind: 'unsatisfiable' } : { kind: 'ranges', ranges: unionIfOverlapping(ranges) };
  return { method: rnd() < 0.1 ? 'HEAD' : 'GET', headers, expect };
}

/** Overlapping or touching ranges come back as their union in file order; disjoint ones as asked. */
function unionIfOverlapping(ranges: [number, number][]): [number, number][] {
  const byStart = [...ranges].sort((a, b) => a[0] - b[0]);
  const touching = byStart.some((r, i) => i > 0 && r[0] <= byStart[i - 1]![1] + 1);
  if (!touching) return ranges;
  const union: [number, number][] = [];
  for (const [s, e] of byStart) {
    const last = union.at(-1);
    if (last && s <= last[1] + 1) last[1] = Math.max(last[1], e);
    else union.push([s, e]);
  }
  return union;
}

/** Sends the case and checks status, headers and bytes against the expectation. */
export async function checkCase(url: string, file: Buffer, c: FuzzCase, agent: http.Agent): Promise<void> {
  const reply = await request(url, { method: c.method, headers: c.headers, agent });
  const where = `${c.method} range=${JSON.stringify(c.headers.range)} if-range=${JSON.stringify(c.headers['if-range'])}`;
  assert.ok(reply.status < 500, `${where}: status ${reply.status}`);
  assert.equal(reply.headers['transfer-encoding'], undefined, `${where}: chunked`);
  const body = reply.body;
  const head = c.method === 'HEAD';
  if (!head) assert.equal(Number(reply.headers['content-length']), body.length, `${where}: Content-Length vs body`);
  switch (c.expect.kind) {
    case 'full':
      assert.equal(reply.status, 200, where);
      assert.equal(Number(reply.headers['content-length']), file.length, where);
      if (!head) assert.ok(body.equals(file), `${where}: whole body differs`);
      return;
    case 'unsatisfiable':
      assert.equal(reply.status, 416, where);
      assert.equal(reply.headers['content-range'], `bytes */${file.length}`, where);
      assert.equal(body.length, 0, where);
      return;
    case 'ranges': {
      assert.equal(reply.status, 206, where);
      const ranges = c.expect.ranges;
      if (ranges.length === 1) {
        const [s, e] = ranges[0]!;
        assert.equal(reply.headers['content-range'], `bytes ${s}-${e}/${file.length}`, where);
        assert.equal(Number(reply.headers['content-length']), e - s + 1, where);
        if (!head) assert.ok(body.equals(file.subarray(s, e + 1)), `${where}: range body differs`);
        return;
      }
      assert.match(String(reply.headers['content-type']), /^multipart\/byteranges; boundary=/, where);
      if (head) return;
      const parts = parseMultipart(body, String(reply.headers['content-type']));
      assert.equal(parts.length, ranges.length, where);
      ranges.forEach(([s, e], i) => {
        assert.equal(parts[i]!.contentRange, `bytes ${s}-${e}/${file.length}`, where);
        assert.ok(parts[i]!.data.equals(file.subarray(s, e + 1)), `${where}: part ${i} differs`);
      });
    }
  }
}

/** Runs `cases` with a few requests in flight over keep-alive connections. */
export async function runFuzz(url: string, file: Buffer, cases: FuzzCase[], parallel = 8): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: parallel });
  let next = 0;
  try {
    await Promise.all(
      Array.from({ length: parallel }, async () => {
        while (next < cases.length) await checkCase(url, file, cases[next++]!, agent);
      }),
    );
  } finally {
    agent.destroy();
  }
}
