import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Deployment, Release, StatusReport } from '../../../src/core/protocol/management';
import { spawn } from 'node:child_process';
import { exited, spawnServer } from './helpers/child';
import { cliMain, runCli } from '../../helpers/runCli';
import { removeDir, sha256, tempDir } from './helpers/server';

describe('ota serve / push / status / ca (child processes)', function () {
  // Every step is a fresh node process: seconds apiece on a loaded 2-core CI machine.
  this.timeout(90_000);
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir('ota-cli-');
  });
  afterEach(() => removeDir(dir));

  it('pushes a release, deploys it, reports status, and shuts down cleanly on SIGTERM', async () => {
    const data = join(dir, 'data');
    const { child, url, output } = await spawnServer(['--data', data]);
    try {
      const token = (await readFile(join(data, 'token'), 'utf8')).trim();
      const image = randomBytes(30_000);
      const file = join(dir, 'fw.bin');
      await writeFile(file, image);

      const pushed = await runCli(['push', file, '--server', url, '--token-env', 'MY_TOKEN', '--pid', 'P', '--fw-key', 'K', '--channel', 'main', '--label', '1.0.1', '--deploy', '--devices', 'd1,d2', '--json'], { env: { MY_TOKEN: token } });
      assert.equal(pushed.code, 0, pushed.stderr);
      const result = JSON.parse(pushed.stdout) as { release: Release; deployment: Deployment };
      assert.equal(result.release.sha256, sha256(image));
      assert.deepEqual(result.deployment.devices, ['d1', 'd2']);

      const status = await runCli(['status', '--server', url, '--json'], { env: { OTA_SERVER_TOKEN: token } });
      assert.equal(status.code, 0, status.stderr);
      const report = JSON.parse(status.stdout) as StatusReport;
      assert.deepEqual(report.releases.map((r) => r.id), [result.release.id]);
      const human = await runCli(['status', '--server', url], { env: { OTA_SERVER_TOKEN: token } });
      assert.match(human.stdout, /deployments \(1\)/);

      const bound = await runCli(['bind', '--server', url, '--pid', 'P', '--fw-key', 'OLD1,OLD2', '--json'], { env: { OTA_SERVER_TOKEN: token } });
      assert.equal(bound.code, 0, bound.stderr);
      assert.deepEqual((JSON.parse(bound.stdout) as { keys: string[] }).keys.sort(), ['K', 'OLD1', 'OLD2']);

      // ota watch follows live events: start it, then make something happen.
      const watcher = spawn(process.execPath, [cliMain, 'watch', '--server', url, '--for', '20', '--json'], { env: { ...process.env, OTA_SERVER_TOKEN: token }, stdio: ['ignore', 'pipe', 'pipe'] });
      let watchOut = '';
      const sawKeys = new Promise<void>((resolve) =>
        watcher.stdout.on('data', (c: Buffer) => {
          watchOut += c.toString();
          if (watchOut.includes('"product.keys"')) resolve();
        }),
      );
      await new Promise<void>((resolve) => watcher.stderr.on('data', (c: Buffer) => /watching/.test(c.toString()) && resolve()));
      await runCli(['bind', '--server', url, '--pid', 'P2', '--fw-key', 'W1'], { env: { OTA_SERVER_TOKEN: token } });
      await sawKeys;
      watcher.kill('SIGINT'); // Ctrl-C ends it cleanly
      const watched = { code: await exited(watcher), stdout: watchOut, stderr: '' };
      assert.equal(watched.code, 0, watched.stderr);
      const events = watched.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; data: { pid?: string } });
      assert.ok(events.some((e) => e.type === 'product.keys' && e.data.pid === 'P2'), watched.stdout);
      assert.ok(!events.some((e) => e.type === 'release.created'), 'only what happens from now on');

      const wrong = await runCli(['status', '--server', url], { env: { OTA_SERVER_TOKEN: 'nope' } });
      assert.equal(wrong.code, 1);
      assert.match(wrong.stderr, /401/);
      const missing = await runCli(['status', '--server', url], { env: { OTA_SERVER_TOKEN: '' } });
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /OTA_SERVER_TOKEN is not set/);
      const usage = await runCli(['push', file, '--server', url], { env: { OTA_SERVER_TOKEN: token } });
      assert.equal(usage.code, 2);
      const noManifest = await runCli(['push', file, '--server', url, '--pid', 'P', '--fw-key', 'K', '--channel', 'main', '--manifest', join(dir, 'none.manifest.json')], { env: { OTA_SERVER_TOKEN: token } });
      assert.equal(noManifest.code, 1);
      assert.match(noManifest.stderr, /cannot read the release manifest \(ENOENT\)/);
      // Not a manifest of this image (not even one): refused with the field named, nothing uploaded.
      await writeFile(join(dir, 'bad.manifest.json'), '{"schema":"other"}');
      const badManifest = await runCli(['push', file, '--server', url, '--pid', 'P', '--fw-key', 'K', '--channel', 'main', '--label', '1.0.3', '--manifest', join(dir, 'bad.manifest.json')], { env: { OTA_SERVER_TOKEN: token } });
      assert.equal(badManifest.code, 1);
      assert.match(badManifest.stderr, /"signedManifest" is not a release manifest/);
      // No --label and no version inside a raw image: an error that says so, never a silent 0.0.0.
      const noLabel = await runCli(['push', file, '--server', url, '--pid', 'P', '--fw-key', 'K', '--channel', 'main'], { env: { OTA_SERVER_TOKEN: token } });
      assert.equal(noLabel.code, 2);
      assert.match(noLabel.stderr, /no embedded version .*no --label[\s\S]*--label VERSION/);
      // Without --json and with stderr a pipe (not a terminal): the release line, no \r progress.
      const piped = await runCli(['push', file, '--server', url, '--pid', 'P', '--fw-key', 'K', '--channel', 'main', '--label', '1.0.2'], { env: { OTA_SERVER_TOKEN: token } });
      assert.equal(piped.code, 0, piped.stderr);
      assert.match(piped.stdout, /^release \d+: fw\.bin 1\.0\.2 \(part bApp, 30000 bytes/);
      assert.doesNotMatch(piped.stderr, /\r|uploading/);
    } finally {
      child.kill('SIGTERM');
      assert.equal(await exited(child), 0);
    }
    assert.match(output(), /shutting down/);
  });

  it('warns when told to listen beyond loopback', async () => {
    const { child, output } = await spawnServer(['--data', join(dir, 'data'), '--host', '0.0.0.0']);
    child.kill('SIGINT');
    await exited(child);
    assert.match(output(), /devices \(and anyone else\) on the network can reach this server/);
  });

  it('exports the CA as PEM and as a C header, the same CA every time', async () => {
    const data = join(dir, 'data');
    const pem = await runCli(['ca', '--data', data]);
    assert.equal(pem.code, 0, pem.stderr);
    assert.match(pem.stdout, /^-----BEGIN CERTIFICATE-----\n/);
    const header = await runCli(['ca', '--data', data, '--format', 'c']);
    assert.match(header.stdout, /static const char ota_workbench_ca_pem\[\] =\n {4}"-----BEGIN CERTIFICATE-----\\n"\n/);
    assert.match(header.stdout, /"-----END CERTIFICATE-----\\n";\n/);
    assert.equal((await runCli(['ca', '--data', data])).stdout, pem.stdout);
  });
});
