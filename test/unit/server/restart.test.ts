import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StatusReport } from '../../../src/core/protocol/management';
import { request } from './helpers/http';
import { api, removeDir, start, tempDir, uploadRelease } from './helpers/server';

describe('server restart', () => {
  it('keeps releases, keys, deployments, devices and sessions across a restart, even with a torn journal tail', async () => {
    const dir = await tempDir();
    try {
      const data = randomBytes(10_000);
      let server = await start(dir);
      const release = await uploadRelease(server, data, { pid: 'P', fwKey: 'K', channel: 'main', label: '1.0.1' });
      await api(server, 'POST', '/api/v1/products/P/keys', { keys: ['OLD'] });
      const dep = (await api(server, 'POST', '/api/v1/deployments', { releaseId: release.id })).json as { id: string };
      await request(`${server.url}/fw/${release.id}/fw.bin?device=x1&key=OLD&channel=main`, { headers: { range: 'bytes=0-99' } });
      const before = (await api(server, 'GET', '/api/v1/status')).json as StatusReport;
      await server.close(0);
      await appendFile(join(dir, 'journal.log'), '0badc0de\t{"t":"release","rel');

      server = await start(dir);
      try {
        const after = (await api(server, 'GET', '/api/v1/status')).json as StatusReport;
        assert.deepEqual(after.releases, before.releases);
        assert.deepEqual(after.deployments.map((d) => d.id), [dep.id]);
        assert.deepEqual(after.products.map((p) => ({ ...p, keys: [...p.keys].sort() })), [{ pid: 'P', keys: ['K', 'OLD'] }]);
        assert.equal(after.devices[0]!.attributes.fw_key, 'OLD');
        assert.equal(after.sessions.length, 1);
        assert.equal(after.sessions[0]!.bytesServed, 100);
        const rest = await request(`${server.url}/fw/${release.id}/fw.bin?device=x1`, { headers: { range: 'bytes=100-' } });
        assert.equal(rest.status, 206);
        assert.ok(rest.body.equals(data.subarray(100)));
        // New ids do not reuse old ones.
        const second = await uploadRelease(server, data, { pid: 'P', fwKey: 'K', channel: 'main', label: '1.0.2' });
        assert.ok(Number(second.id) > Number(after.sessions[0]!.id));
      } finally {
        await server.close(0);
      }
    } finally {
      await removeDir(dir);
    }
  });
});
