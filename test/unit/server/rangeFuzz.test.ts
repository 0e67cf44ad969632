import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sendFile } from '../../../src/server/http/sendFile';
import { prng } from './helpers/prng';
import { generateCase, runFuzz } from './helpers/rangeFuzz';
import { removeDir, start, tempDir, uploadRelease } from './helpers/server';

describe('Range fuzz against sendFile on a live socket', () => {
  let dir: string;
  let server: http.Server;
  const files = new Map<string, Buffer>();

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ota-range-'));
    for (const size of [0, 1, 4096, 10007]) files.set(String(size), randomBytes(size));
    for (const [name, data] of files) await writeFile(join(dir, name), data);
    server = http.createServer((req, res) => {
      const name = req.url!.slice(1);
      const path = join(dir, name);
      void stat(path).then((st) =>
        sendFile(req, res, { path, size: st.size, etag: `"f-${name}"`, mtime: st.mtime, contentType: 'application/octet-stream' }),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await rm(dir, { recursive: true, force: true });
  });

  it('answers 1,000 generated Range headers with a correct 200, 206 or 416 and the right bytes', async () => {
    const seed = Number(process.env.OTA_FUZZ_SEED ?? Date.now() % 1e9);
    const rnd = prng(seed);
    const port = (server.address() as AddressInfo).port;
    for (const [name, data] of files) {
      const st = await stat(join(dir, name));
      const cases = Array.from({ length: 250 }, () => generateCase(rnd, data.length, `"f-${name}"`, st.mtime.toUTCString()));
      try {
        await runFuzz(`http://127.0.0.1:${port}/${name}`, data, cases);
      } catch (err) {
        throw new Error(`file of ${data.length} bytes, seed ${seed} (replay with OTA_FUZZ_SEED=${seed}): ${(err as Error).message}`, { cause: err });
      }
    }
  });
});

describe('Range fuzz against the OTA server download routes', () => {
  it('answers 1,200 generated Range headers on the plain and DDI artifact URLs correctly, never 5xx', async () => {
    const dir = await tempDir();
    const server = await start(dir);
    try {
      const data = randomBytes(20_011);
      const release = await uploadRelease(server, data, { pid: 'P', fwKey: 'K', channel: 'main', label: '1' });
      const head = await fetch(`${server.url}/fw/${release.id}/fw.bin`, { method: 'HEAD' });
      const lastModified = head.headers.get('last-modified')!;
      const seed = Number(process.env.OTA_FUZZ_SEED ?? Date.now() % 1e9);
      const rnd = prng(seed);
      for (const url of [`${server.url}/fw/${release.id}/fw.bin`, `${server.url}/DEFAULT/controller/v1/d1/softwaremodules/${release.id}/artifacts/fw.bin`]) {
        const cases = Array.from({ length: 600 }, () => generateCase(rnd, data.length, `"${release.sha256}"`, lastModified));
        try {
          await runFuzz(url, data, cases);
        } catch (err) {
          throw new Error(`${url}, seed ${seed} (replay with OTA_FUZZ_SEED=${seed}): ${(err as Error).message}`, { cause: err });
        }
      }
    } finally {
      await server.close(0);
      await removeDir(dir);
    }
  });
});
