import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OtaProvider } from '../../../src/providers/ota/otaProvider';
import { removeDir, sha256, start, tempDir, token } from '../server/helpers/server';

describe('ota provider (our server behind the provider interface)', () => {
  it('publishes, deploys soft to named devices and shows the deployment in status', async () => {
    const dir = await tempDir();
    const server = await start(dir);
    try {
      const image = randomBytes(300_000);
      const file = join(dir, 'fw.bin');
      await writeFile(file, image);
      const provider = new OtaProvider('local', server.url, token);
      const release = await provider.publish({ file, pid: 'P', fwKey: 'K', channel: 'main', label: '1.2.3' });
      assert.equal(release.sha256, sha256(image));
      assert.equal(release.label, '1.2.3');
      const result = await provider.deploy({ releaseId: release.id, pid: 'P', fwKey: 'K', channel: 'main', boundKeys: ['K', 'OLD'], devices: ['dev-1'], type: 'soft' });
      assert.deepEqual(result.devices, ['dev-1']);
      const status = await provider.status();
      assert.equal(status.deployments[0]?.id, result.id);
      assert.deepEqual(status.products.find((p) => p.pid === 'P')?.keys.sort(), ['K', 'OLD'], 'the extra bound key reached the server');
      await assert.rejects(provider.deploy({ releaseId: release.id, pid: 'P', fwKey: 'K', channel: 'main', type: 'downloadonly' }), /soft or forced only/);
    } finally {
      await server.close(0);
      await removeDir(dir);
    }
  });

  it('refuses to send its token over plain HTTP to another host, before any request', () => {
    assert.throws(() => new OtaProvider('team', 'http://ota.example.com:8080', 'tok'), (err: Error & { hint?: string }) => /would be sent over http to ota\.example\.com:8080/.test(err.message) && /https/.test(err.hint ?? ''));
    assert.doesNotThrow(() => new OtaProvider('local', 'http://[::1]:8080', 'tok'));
    assert.doesNotThrow(() => new OtaProvider('team', 'https://ota.example.com', 'tok'));
  });
});
