import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Release } from '../../../src/core/protocol/management';
import type { RunningServer } from '../../../src/server/startServer';
import { otaWithEnv } from '../cli/inProcess';
import { removeDir, start, tempDir, token } from './helpers/server';

/** `ota push --part` in this process against a real server on 127.0.0.1. */
describe('ota push --part', () => {
  let dir: string;
  let server: RunningServer;
  beforeEach(async () => {
    dir = await tempDir('ota-push-part-');
    server = await start(join(dir, 'data'));
  });
  afterEach(async () => {
    await server.close(0);
    await removeDir(dir);
  });

  function push(...extra: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const argv = ['push', join(dir, 'fs.bin'), '--server', server.url, '--pid', 'P', '--fw-key', 'K', '--channel', 'main', '--label', 'fs-1', '--json', ...extra];
    return otaWithEnv(dir, { OTA_SERVER_TOKEN: token }, ...argv);
  }

  it('names the DDI chunk part of the release (bApp without it), and a bad name is refused by the server', async () => {
    await writeFile(join(dir, 'fs.bin'), randomBytes(2048));
    const fs = await push('--part', 'spiffs');
    assert.equal(fs.code, 0, fs.stderr);
    assert.equal((JSON.parse(fs.stdout) as { release: Release }).release.part, 'spiffs');
    const plain = await push();
    assert.equal((JSON.parse(plain.stdout) as { release: Release }).release.part, 'bApp');
    const bad = await push('--part', 'two words');
    assert.equal(bad.code, 1);
    assert.match(bad.stdout + bad.stderr, /manifest field \\"?part\\"? must be a short name/);
  });
});
