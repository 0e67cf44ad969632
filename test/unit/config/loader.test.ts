import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadWorkspaceConfig, requireWorkspaceConfig } from '../../../src/core/config/loader';
import { formatDiagnostic } from '../../../src/core/config/diagnostic';
import { OtaError } from '../../../src/core/errors';
import { check, minimal, readFixture } from './helpers';

describe('config loader', () => {
  it('loads the full sample with comments and trailing commas into the typed model', () => {
    const result = check(readFixture('config', 'full.jsonc'));
    assert.deepEqual(result.diagnostics.map(formatDiagnostic), []);
    const config = result.config!;
    assert.deepEqual(config.products[0], { pid: 'p1smartplug', name: 'Smart Plug', firmwareKeys: ['key-2024', 'key-2023'] });
    assert.equal(config.channels.length, 4);
    assert.deepEqual(config.channels[1]!.signing, { key: '${secret:mcuboot-key}', format: 'mcuboot', keyRef: { kind: 'secret', name: 'mcuboot-key', text: '${secret:mcuboot-key}' } });
    assert.deepEqual(config.channels[0]!.signing, { key: 'keys/root-ec-p256.pem', format: 'manifest' });
    assert.deepEqual(config.channels[1]!.version, { source: 'file', file: 'mcu/VERSION', regex: '^(\\d+\\.\\d+\\.\\d+)' });
    const hawkbit = config.servers.find((s) => s.type === 'hawkbit');
    assert.deepEqual(hawkbit?.type === 'hawkbit' && hawkbit.credential, { kind: 'env', name: 'HAWKBIT_PASSWORD', text: '${env:HAWKBIT_PASSWORD}' });
    assert.deepEqual(config.servers[1], { type: 'local', name: 'local-tls', host: '127.0.0.1', port: 8443, tls: { cert: 'certs/server.pem', key: 'certs/server-key.pem' } });
    assert.equal(config.devices[1]!.logParser, 'plain');
    assert.deepEqual(config.timeouts, { offlineSeconds: 60, minBandwidthKbps: 20, pollIntervalSeconds: 5 });
    assert.equal(config.defaultServer, 'local');
  });

  it('fills defaults: 60 s offline, 20 kbps, 10 s poll, 127.0.0.1:8080, 115200 baud', () => {
    const config = check(JSON.stringify(minimal())).config!;
    assert.deepEqual(config.timeouts, { offlineSeconds: 60, minBandwidthKbps: 20, pollIntervalSeconds: 10 });
    assert.deepEqual(config.servers[0], { type: 'local', name: 'local', host: '127.0.0.1', port: 8080 });
    assert.deepEqual(config.devices[0]!.serial, { path: '/dev/ttyUSB0', baud: 115200 });
    const partial = minimal();
    partial.timeouts = { offlineSeconds: 90 };
    assert.deepEqual(check(JSON.stringify(partial)).config!.timeouts, { offlineSeconds: 90, minBandwidthKbps: 20, pollIntervalSeconds: 10 });
  });

  it('accepts several keys bound to one PID, so a fleet shipped with an old key is still reached', () => {
    const c = minimal();
    (c.channels as Record<string, unknown>[])[0]!.firmwareKey = 'k-old';
    assert.deepEqual(check(JSON.stringify(c)).diagnostics, []);
  });

  describe('from disk', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ota-config-'));
      await fs.mkdir(path.join(dir, '.vscode'));
    });
    afterEach(async () => {
      await fs.rm(dir, { recursive: true, force: true });
    });

    it('reads ota.json and merges ota.local.json over it', async () => {
      await fs.writeFile(path.join(dir, '.vscode', 'ota.json'), JSON.stringify(minimal(), null, 2));
      await fs.writeFile(path.join(dir, '.vscode', 'ota.local.json'), '{ "devices": [{ "name": "bench-esp32", "serial": { "path": "/dev/ttyACM3" } }] }');
      const loaded = await loadWorkspaceConfig(dir);
      assert.equal(loaded.folder, dir);
      assert.equal(loaded.localFile, path.join(dir, '.vscode', 'ota.local.json'));
      assert.deepEqual(loaded.config?.devices[0]?.serial, { path: '/dev/ttyACM3', baud: 115200 });
    });

    it('works without a local file', async () => {
      await fs.writeFile(path.join(dir, '.vscode', 'ota.json'), JSON.stringify(minimal()));
      const loaded = await loadWorkspaceConfig(dir);
      assert.equal(loaded.localFile, undefined);
      assert.ok(loaded.config);
    });

    it('says how to create a config when there is none', async () => {
      await assert.rejects(loadWorkspaceConfig(dir), (err: unknown) => err instanceof OtaError && err.code === 'no-config' && /ota init/.test(err.hint ?? ''));
    });

    it('requireWorkspaceConfig lists the errors as file:line:col', async () => {
      await fs.writeFile(path.join(dir, '.vscode', 'ota.json'), '{\n  "products": [],\n  "channels": 3\n}\n');
      await assert.rejects(requireWorkspaceConfig(dir), (err: unknown) => {
        assert.ok(err instanceof OtaError);
        assert.match(err.message, /1 error/);
        assert.match(err.message, /ota\.json:3:15: error: channels: expected an array/);
        return true;
      });
    });
  });
});
