import * as assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildSyntheticEspImage } from '../../../src/device/simulator/syntheticImage';
import { otaWithEnv } from '../cli/inProcess';
import { SimHarness } from '../device/helpers/simHarness';
import { token } from '../server/helpers/server';

/**
 * Our own server as a remote `ota-workbench` target: HTTPS with the CA `ota ca` exports, the
 * token from the environment, the artifact and label from the workspace; a simulated device on
 * the same server installs the release.
 */
describe('ota push to a remote OTA Workbench server over HTTPS with the CA from ota ca', function () {
  this.timeout(60_000);
  let h: SimHarness;
  beforeEach(async () => {
    h = await SimHarness.start(60_000, { tls: true });
  });
  afterEach(() => h.close());

  it('push --server team --channel main --deploy ends with the device running the new version', async () => {
    const ws = join(h.dir, 'ws');
    await mkdir(join(ws, '.vscode'), { recursive: true });
    await mkdir(join(ws, 'build'));
    await mkdir(join(ws, 'certs'));
    const exported = await otaWithEnv(ws, {}, 'ca', '--data', join(h.dir, 'server'));
    assert.equal(exported.code, 0, exported.stderr);
    assert.match(exported.stdout, /BEGIN CERTIFICATE/);
    await writeFile(join(ws, 'certs', 'ca.pem'), exported.stdout);
    await writeFile(join(ws, 'build', 'app.bin'), buildSyntheticEspImage({ version: '1.0.1', size: 64 * 1024 }));
    const url = `https://localhost:${h.server.port}`;
    const server = (ca?: string) => ({ type: 'ota-workbench', name: 'team', url, token: '${env:TEAM_TOKEN}', ...(ca ? { ca } : {}) });
    const config = (ca?: string) => ({
      products: [{ pid: 'P1', name: 'Plug', firmwareKeys: ['K1'] }],
      channels: [{ name: 'main', pid: 'P1', firmwareKey: 'K1', format: 'esp-idf', artifact: 'build/*.bin', version: { source: 'image' } }],
      servers: [server(ca)],
    });
    // Without the CA the server's certificate is not trusted: nothing is sent.
    await writeFile(join(ws, '.vscode', 'ota.json'), JSON.stringify(config()));
    await assert.rejects(otaWithEnv(ws, { TEAM_TOKEN: token }, 'push', '--server', 'team', '--channel', 'main'), /self-signed|unable to verify|certificate/i);

    await writeFile(join(ws, '.vscode', 'ota.json'), JSON.stringify(config('certs/ca.pem')));
    const { device } = h.device({ id: 'dev-1', factoryImage: buildSyntheticEspImage({ version: '1.0.0', size: 64 * 1024 }), chunkBytes: 16 * 1024 });
    await h.online('dev-1');
    const pushed = await otaWithEnv(ws, { TEAM_TOKEN: token }, 'push', '--server', 'team', '--channel', 'main', '--deploy', '--json');
    assert.equal(pushed.code, 0, pushed.stderr);
    const out = JSON.parse(pushed.stdout) as { server: { kind: string }; release: { label: string } };
    assert.deepEqual([out.server.kind, out.release.label], ['ota', '1.0.1']);
    const session = await h.ended('dev-1', 30_000);
    assert.equal(session.state, 'succeeded', session.failureReason);
    assert.equal(device.runningVersion, '1.0.1');
    const status = await otaWithEnv(ws, { TEAM_TOKEN: token }, 'status', '--server', 'team', '--json');
    assert.equal((JSON.parse(status.stdout) as { sessions: { state: string }[] }).sessions.at(-1)?.state, 'succeeded');
  });
});
