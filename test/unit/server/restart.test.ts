import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { appendFile, stat, writeFile } from 'node:fs/promises';
import * as http from 'node:http';
import { silentLogger } from '../../../src/core/logger';
import type { JournalRecord } from '../../../src/server/state/records';
import { Journal } from '../../../src/server/storage/journal';
import { join } from 'node:path';
import type { StatusReport } from '../../../src/core/protocol/management';
import { request } from './helpers/http';
import { api, removeDir, start, tempDir, token, uploadRelease } from './helpers/server';

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
      // What a crash between the artifact's rename and its release record leaves behind.
      await writeFile(join(dir, 'artifacts', 'ab'.repeat(32)), 'orphan');

      server = await start(dir);
      try {
        const after = (await api(server, 'GET', '/api/v1/status')).json as StatusReport;
        assert.deepEqual(after.releases, before.releases);
        await assert.rejects(stat(join(dir, 'artifacts', 'ab'.repeat(32))), /ENOENT/, 'the orphan artifact is collected');
        await stat(join(dir, 'artifacts', release.sha256));
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

  it('compacts a journal of mostly superseded records on start, keeping state and ids', async () => {
    const dir = await tempDir();
    try {
      let server = await start(dir);
      const release = await uploadRelease(server, randomBytes(1000), { pid: 'P', fwKey: 'K', channel: 'main', label: '1' });
      const doomed = await uploadRelease(server, randomBytes(1000), { pid: 'P', fwKey: 'K', channel: 'main', label: '2' });
      await api(server, 'DELETE', `/api/v1/releases/${doomed.id}`);
      await server.close(0);
      // 20,000 superseded records, as a long run of progress updates would leave.
      const journal = await Journal.open<JournalRecord>(join(dir, 'journal.log'), () => undefined, silentLogger);
      await Promise.all(Array.from({ length: 20_000 }, (_, i) => journal.append({ t: 'product.keys', pid: 'P', keys: ['K', `old-${i}`] }, false)));
      await journal.close();
      const before = (await stat(join(dir, 'journal.log'))).size;

      server = await start(dir);
      try {
        const after = (await stat(join(dir, 'journal.log'))).size;
        assert.ok(after < before / 50, `journal went from ${before} to ${after} bytes`);
        const status = (await api(server, 'GET', '/api/v1/status')).json as StatusReport;
        assert.deepEqual(status.releases.map((r) => r.id), [release.id]);
        assert.deepEqual(status.products, [{ pid: 'P', keys: ['K', 'old-19999'] }]);
        const next = await uploadRelease(server, randomBytes(1000), { pid: 'P', fwKey: 'K', channel: 'main', label: '3' });
        assert.ok(Number(next.id) > Number(doomed.id), 'the id of a deleted release is not handed out again');
      } finally {
        await server.close(0);
      }
    } finally {
      await removeDir(dir);
    }
  });

  it('keeps the event history across a restart, with ids that keep counting', async () => {
    const dir = await tempDir();
    try {
      let server = await start(dir);
      const release = await uploadRelease(server, randomBytes(100), { pid: 'P', fwKey: 'K', channel: 'main', label: '1' });
      await server.close(0);
      server = await start(dir);
      try {
        await api(server, 'POST', '/api/v1/deployments', { releaseId: release.id });
        const events = await new Promise<{ id: number; type: string }[]>((resolve, reject) => {
          const seen: { id: number; type: string }[] = [];
          const req = http.get(`${server.url}/api/v1/events`, { headers: { authorization: `Bearer ${token}` } }, (res) => {
            res.setEncoding('utf8');
            let text = '';
            res.on('data', (chunk: string) => {
              text += chunk;
              for (const m of text.matchAll(/^id: (\d+)\nevent: (.+)$/gm)) if (!seen.some((e) => e.id === Number(m[1]))) seen.push({ id: Number(m[1]), type: m[2]! });
              if (seen.some((e) => e.type === 'deployment.created')) {
                req.destroy();
                resolve(seen);
              }
            });
          });
          req.on('error', reject);
        });
        const created = events.find((e) => e.type === 'release.created');
        const deployed = events.find((e) => e.type === 'deployment.created');
        assert.ok(created, 'the event from before the restart is replayed');
        assert.ok(deployed!.id > created.id);
      } finally {
        await server.close(0);
      }
    } finally {
      await removeDir(dir);
    }
  });
});
