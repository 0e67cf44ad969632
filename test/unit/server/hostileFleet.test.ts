import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { ddiPaths } from '../../../src/core/protocol/ddi';
import type { Device, StatusReport } from '../../../src/core/protocol/management';
import type { RunningServer } from '../../../src/server/startServer';
import { request } from './helpers/http';
import { api, removeDir, start, tempDir } from './helpers/server';

/** Made-up device ids by the thousand: the quota holds, and no answer grows with the fleet. */
describe('hostile fleet: device quotas and paged lists', () => {
  let dir: string;
  let server: RunningServer;

  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    await server.close(0);
    await removeDir(dir);
  });

  async function pollAll(ids: string[]): Promise<number[]> {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    const codes: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < ids.length) codes.push((await request(server.url + ddiPaths.base('DEFAULT', ids[next++]!), { agent })).status);
      }),
    );
    agent.destroy();
    return codes;
  }

  it('refuses made-up ids past the total with 429, and pages status and device lists', async () => {
    server = await start(dir, { maxDevices: 2500, newDevicesPerMinute: 100_000 });
    const codes = await pollAll(Array.from({ length: 2600 }, (_, i) => `made-up-${i}`));
    assert.equal(codes.filter((c) => c === 200).length, 2500);
    assert.equal(codes.filter((c) => c === 429).length, 100);
    const status = await api(server, 'GET', '/api/v1/status');
    const report = status.json as StatusReport;
    assert.equal(report.devices.length, 1000, 'the first page by default');
    assert.deepEqual(report.totals, { devices: 2500, sessions: 0, limit: 1000, offset: 0 });
    assert.ok(status.body.length < 400_000, `status of ${status.body.length} bytes`);
    const tail = await api(server, 'GET', '/api/v1/devices?limit=10&offset=2495');
    // The last five (in order of first contact, which the parallel polls shuffle).
    const all = (await api(server, 'GET', '/api/v1/devices?limit=5000')).json as Device[];
    assert.equal(all.length, 2500);
    assert.deepEqual((tail.json as Device[]).map((d) => d.id), all.slice(2495).map((d) => d.id));
    assert.equal(tail.headers['x-total-count'], '2500');
    assert.equal((await api(server, 'GET', '/api/v1/devices?limit=-1')).status, 400);
    // The quota holds across a restart: the known devices count.
    await server.close(0);
    server = await start(dir, { maxDevices: 2500 });
    assert.equal((await request(server.url + ddiPaths.base('DEFAULT', 'one-more'))).status, 429);
    assert.equal((await request(server.url + ddiPaths.base('DEFAULT', 'made-up-7'))).status, 200);
  });
});
