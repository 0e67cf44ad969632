import * as assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StatusReport } from '../../../src/core/protocol/management';
import { exited, spawnServer } from './helpers/child';
import { runCli } from '../../helpers/runCli';
import { request } from './helpers/http';
import { removeDir, tempDir } from './helpers/server';

describe('ota serve --install-timeout', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir('ota-cli-');
  });
  afterEach(() => removeDir(dir));

  it('sets the install window the status reports (and the offline timeout stays its own)', async () => {
    const data = join(dir, 'data');
    const { child, url } = await spawnServer(['--data', data, '--offline-timeout', '30', '--install-timeout', '120']);
    try {
      const token = (await readFile(join(data, 'token'), 'utf8')).trim();
      const r = await request(`${url}/api/v1/status`, { headers: { authorization: `Bearer ${token}` } });
      const status = JSON.parse(r.body.toString()) as StatusReport;
      assert.equal(status.server.installTimeoutMs, 120_000);
      assert.equal(status.server.offlineTimeoutMs, 30_000);
    } finally {
      child.kill('SIGTERM');
      await exited(child);
    }
  });

  it('refuses a value that is not a number (usage, exit 2)', async () => {
    const ran = await runCli(['serve', '--data', join(dir, 'data'), '--install-timeout', 'soon']);
    assert.equal(ran.code, 2);
    assert.match(ran.stderr, /--install-timeout 'soon' is not a valid number/);
  });
});
