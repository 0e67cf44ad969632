import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { latestFirmwareUrl } from '../../../../src/core/protocol/devicePaths';
import type { UpdateSession } from '../../../../src/core/protocol/management';
import type { RunningServer } from '../../../../src/server/startServer';
import type { Reply } from '../helpers/http';
import { request } from '../helpers/http';
import { api, removeDir, start, tempDir, uploadRelease } from '../helpers/server';

/**
 * ESP-IDF `esp_https_ota` replayed over 127.0.0.1. The request loop follows `_http_connect` /
 * `_http_handle_response_code` in components/esp_https_ota/src/esp_https_ota.c (read at 07d0c396:
 * 301/302/307 are followed, the body of a redirect is read and dropped, then the image is read to
 * the Content-Length). The partial download (HEAD for the size, then `Range: bytes=start-end`
 * chunks whose last end is one past the image) and the resume (`bytes=N-`, which must answer 206;
 * 416 restarts from 0) follow the checked facts in reference/device-protocols.md: the stored index
 * holds no esp_https_ota.c with `partial_http_download` to read.
 */
async function connect(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ reply: Reply; url: string; hops: number }> {
  let hops = 0;
  for (;;) {
    const reply = await request(url, { method, headers });
    if (reply.status === 301 || reply.status === 302 || reply.status === 307) {
      url = new URL(reply.headers.location!, url).toString();
      hops += 1;
      if (hops > 10) throw new Error('redirect loop');
      continue;
    }
    return { reply, url, hops };
  }
}

describe('replay: ESP-IDF esp_https_ota (plain URL)', () => {
  let dir: string;
  let server: RunningServer;

  beforeEach(async () => {
    dir = await tempDir('ota-esp-https-');
    server = await start(dir);
  });
  afterEach(async () => {
    await server.close(0);
    await removeDir(dir);
  });

  const query = { device: 'esp-1', key: 'K', channel: 'main', version: '1.0.0' };

  it('the baked-in URL: 304 with nothing to do; then 302 to the release, followed, and the whole image read to its Content-Length', async () => {
    const none = await connect(latestFirmwareUrl(server.url, query));
    assert.equal(none.reply.status, 304);
    const image = randomBytes(100_000);
    const release = await uploadRelease(server, image, { pid: 'P', fwKey: 'K', channel: 'main', label: '1.0.1' });
    await api(server, 'POST', '/api/v1/deployments', { releaseId: release.id });
    const got = await connect(latestFirmwareUrl(server.url, query));
    assert.equal(got.hops, 1);
    assert.equal(got.reply.status, 200);
    assert.equal(Number(got.reply.headers['content-length']), image.length);
    assert.equal(got.reply.headers['transfer-encoding'], undefined, 'never chunked');
    assert.ok(got.reply.body.equals(image));
    const sessions = (await api(server, 'GET', '/api/v1/sessions')).json as UpdateSession[];
    assert.equal(sessions[0]!.state, 'downloaded');
  });

  it('partial download: HEAD for the size, 4 KiB ranges with the last end one past the image (clamped), all 206', async () => {
    const image = randomBytes(10_000);
    const release = await uploadRelease(server, image, { pid: 'P', fwKey: 'K', channel: 'main', label: '1.0.1' });
    await api(server, 'POST', '/api/v1/deployments', { releaseId: release.id });
    const { url } = await connect(latestFirmwareUrl(server.url, query), {}, 'HEAD');
    const head = await request(url, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
    const size = Number(head.headers['content-length']);
    assert.equal(size, image.length);
    const parts: Buffer[] = [];
    const chunk = 4096;
    for (let start = 0; start < size; start += chunk) {
      const end = Math.min(start + chunk, size); // the last end is `size`: one past the last byte
      const r = await request(url, { headers: { range: `bytes=${start}-${end}` } });
      assert.equal(r.status, 206);
      assert.equal(r.headers['content-range'], `bytes ${start}-${Math.min(end, size - 1)}/${size}`);
      parts.push(r.body.subarray(0, Math.min(chunk, size - start)));
    }
    assert.ok(Buffer.concat(parts).equals(image));
  });

  it('resume: bytes=N- answers 206 with the rest; a start past the end answers 416 with bytes */LEN (the client restarts from 0)', async () => {
    const image = randomBytes(30_000);
    const release = await uploadRelease(server, image, { pid: 'P', fwKey: 'K', channel: 'main', label: '1.0.1' });
    await api(server, 'POST', '/api/v1/deployments', { releaseId: release.id });
    const { url } = await connect(latestFirmwareUrl(server.url, query), {}, 'HEAD');
    const rest = await request(url, { headers: { range: 'bytes=12345-' } });
    assert.equal(rest.status, 206, 'a 200 here is an error for ota_resumption');
    assert.ok(rest.body.equals(image.subarray(12345)));
    const past = await request(url, { headers: { range: `bytes=${image.length}-` } });
    assert.equal(past.status, 416);
    assert.equal(past.headers['content-range'], `bytes */${image.length}`);
  });
});
