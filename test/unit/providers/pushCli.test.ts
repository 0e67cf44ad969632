import * as assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HawkbitDouble } from '../../doubles/hawkbit/hawkbitDouble';
import { otaWithEnv } from '../cli/inProcess';
import { espBlink } from '../../helpers/fixtures';

/** The CLI in a fixture workspace whose servers[] names a hawkBit (the strict double). */
describe('ota push / deploy / rollout / status / watch against a configured hawkBit server', () => {
  for (const generation of ['legacy', 'current'] as const) {
    describe(generation, () => {
      let double: HawkbitDouble;
      let ws: string;
      const env = { HB_PASSWORD: 'admin' };
      beforeEach(async () => {
        double = await new HawkbitDouble(generation).start();
        ws = await mkdtemp(join(tmpdir(), 'ota-ws-'));
        await mkdir(join(ws, '.vscode'));
        await mkdir(join(ws, 'build'));
        await copyFile(espBlink, join(ws, 'build', 'blink.bin'));
        const config = {
          products: [{ pid: 'plug01', name: 'Plug', firmwareKeys: ['K1', 'K0'] }],
          channels: [{ name: 'main', pid: 'plug01', firmwareKey: 'K1', format: 'esp-idf', artifact: 'build/*.bin', version: { source: 'image' } }],
          servers: [{ type: 'hawkbit', name: 'cloud', url: double.url, tenant: 'DEFAULT', username: 'admin', credential: '${env:HB_PASSWORD}', pollIntervalSeconds: 1 }],
        };
        await writeFile(join(ws, '.vscode', 'ota.json'), JSON.stringify(config, null, 2));
        double.addTarget('d-old-key', { pid: 'plug01', fw_key: 'K0', channel: 'main' });
        double.addTarget('d-wrong', { pid: 'plug01', fw_key: 'KX', channel: 'main' });
      });
      afterEach(async () => {
        await double.close();
        await rm(ws, { recursive: true, force: true });
      });

      it('push --server cloud --channel main --deploy: artifact, PID, key and label from the workspace; status shows the session and the why-not', async () => {
        const pushed = await otaWithEnv(ws, env, 'push', '--server', 'cloud', '--channel', 'main', '--deploy', '--json');
        assert.equal(pushed.code, 0, pushed.stderr + pushed.stdout);
        const out = JSON.parse(pushed.stdout) as { release: { id: string; label: string; filename: string }; deployment: { devices: string[] } };
        assert.equal(out.release.label, 'qa-test-v5.0-20220830-4-g4532e6', 'the version embedded in the image');
        assert.equal(out.release.filename, 'blink.bin');
        assert.deepEqual(out.deployment.devices, ['d-old-key'], 'an old key bound to the PID reaches its fleet');
        assert.equal(double.requests.filter((r) => r.status >= 400).length, 0, JSON.stringify(double.requests.filter((r) => r.status >= 400)));
        double.report('d-old-key', 'finished', 'installed');
        const status = await otaWithEnv(ws, env, 'status', '--server', 'cloud');
        assert.equal(status.code, 0, status.stderr);
        assert.match(status.stdout, /device d-old-key .*succeeded/);
        assert.match(status.stdout, /not offered: device d-wrong reports fw_key KX.*bound: K1, K0/);
      });

      it('deploy and rollout commands; missing credential and unknown server are clear errors', async () => {
        const pushed = await otaWithEnv(ws, env, 'push', '--server', 'cloud', '--channel', 'main', '--label', '1.0.0', '--json');
        const id = (JSON.parse(pushed.stdout) as { release: { id: string } }).release.id;
        const deployed = await otaWithEnv(ws, env, 'deploy', id, '--server', 'cloud', '--channel', 'main', '--devices', 'd-wrong', '--download-only');
        assert.equal(deployed.code, 0, deployed.stderr);
        assert.match(deployed.stdout, /warning: device d-wrong reports fw_key KX/);
        assert.match(deployed.stdout, /assigned to 1 target\(s\) \(downloadonly\)/);
        const created = await otaWithEnv(ws, env, 'rollout', 'create', id, '--server', 'cloud', '--channel', 'main', '--name', 'wave', '--groups', '1', '--success', '80', '--json');
        assert.equal(created.code, 0, created.stderr);
        const rollout = (JSON.parse(created.stdout) as { rollout: { id: string; totalTargets: number } }).rollout;
        assert.equal(rollout.totalTargets, 1, 'only the target reporting a bound key and the channel');
        const started = await otaWithEnv(ws, env, 'rollout', 'start', rollout.id, '--server', 'cloud');
        assert.match(started.stdout, /running/);
        assert.match((await otaWithEnv(ws, env, 'rollout', 'pause', rollout.id, '--server', 'cloud')).stdout, /paused/);
        assert.match((await otaWithEnv(ws, env, 'rollout', 'resume', rollout.id, '--server', 'cloud')).stdout, /running/);
        assert.match((await otaWithEnv(ws, env, 'rollout', 'status', '--server', 'cloud')).stdout, /rollout \d+ wave: running/);
        // In process the error reaches the caller; `main` prints it as `where: message` + hint.
        await assert.rejects(otaWithEnv(ws, {}, 'push', '--server', 'cloud', '--channel', 'main', '--label', '1.0.1'), /servers\[0\] \(cloud\)\.credential: \$\{env:HB_PASSWORD\} is not set/);
        await assert.rejects(otaWithEnv(ws, env, 'push', '--server', 'clowd', '--channel', 'main'), (err: Error & { hint?: string; code?: string }) => /no server named clowd/.test(err.message) && /cloud \(hawkbit\)/.test(err.hint ?? '') && err.code === 'usage');
      });

      it('watch polls at the configured interval and prints what changed', async () => {
        const pushed = await otaWithEnv(ws, env, 'push', '--server', 'cloud', '--channel', 'main', '--deploy', '--json');
        assert.equal(pushed.code, 0, pushed.stderr);
        let polls = 0;
        const secondPoll = new Promise<void>((resolve) => {
          double.onRequest = (r) => {
            if (r.method === 'GET' && r.path === '/rest/v1/distributionsets' && ++polls === 2) resolve();
          };
        });
        // Long enough for the poll after the report even on a loaded machine (it is bounded, not awaited).
        const watching = otaWithEnv(ws, env, 'watch', '--server', 'cloud', '--for', '15', '--json');
        await secondPoll;
        double.report('d-old-key', 'download', 'downloading');
        const watched = await watching;
        assert.equal(watched.code, 0, watched.stderr);
        const events = watched.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; data: { deviceId?: string; state?: string } });
        assert.ok(events.some((e) => e.type === 'session.updated' && e.data.deviceId === 'd-old-key' && e.data.state === 'downloading'), watched.stdout);
      });
    });
  }
});
