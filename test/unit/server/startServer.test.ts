import * as assert from 'node:assert/strict';
import type { StatusReport } from '../../../src/core/protocol/management';
import { startServer } from '../../../src/server/startServer';
import { request } from './helpers/http';
import { api, removeDir, tempDir, token } from './helpers/server';

describe('startServer settings', () => {
  it('takes defaults for settings left undefined and refuses nonsense', async () => {
    const dir = await tempDir();
    try {
      await assert.rejects(startServer({ dataDir: dir, port: 0, token, settings: { offlineTimeoutMs: Number.NaN } }), /offlineTimeoutMs must be a number of at least 0, not NaN/);
      const server = await startServer({ dataDir: dir, port: 0, token, settings: { offlineTimeoutMs: 9000, minBandwidthBps: undefined as unknown as number } });
      try {
        const status = (await api(server, 'GET', '/api/v1/status')).json as StatusReport;
        assert.equal(status.server.offlineTimeoutMs, 9000);
        assert.equal(status.server.minBandwidthBps, 20_000);
        const base = JSON.parse((await request(`${server.url}/DEFAULT/controller/v1/x`)).body.toString()) as { config: { polling: { sleep: string } } };
        assert.equal(base.config.polling.sleep, '00:00:03', 'devices poll three times per offline window');
      } finally {
        await server.close(0);
      }
    } finally {
      await removeDir(dir);
    }
  });
});
