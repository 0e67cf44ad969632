import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Device, Release, UpdateSession } from '../../../../src/core/protocol/management';
import type { RunningServer } from '../../../../src/server/startServer';
import { api, removeDir, start, tempDir, uploadRelease } from '../helpers/server';
import { signedManifestBase64 } from '../helpers/signedManifest';
import { ZephyrHawkbitClient } from './zephyrClient';
import type { ZephyrJsonError } from './zephyrJson';
import { depResDescr, zephyrParse } from './zephyrJson';

/**
 * Zephyr's hawkBit client (subsys/mgmt/hawkbit/hawkbit.c, `hawkbit_probe`, at 71ba6f3f; JSON rules
 * of lib/utils/json.c at 061e3459) replayed against the server over 127.0.0.1.
 */
describe('replay: Zephyr hawkBit client (hawkbit.c hawkbit_probe)', () => {
  let dir: string;
  let server: RunningServer;

  beforeEach(async () => {
    dir = await tempDir('ota-zephyr-');
    server = await start(dir);
  });
  afterEach(async () => {
    await server.close(0);
    await removeDir(dir);
  });

  const device = async (id: string) => (await api(server, 'GET', `/api/v1/devices/${id}`)).json as Device;

  it('stock client (VIN only): one configData PUT, then plain polls, and the why-not says what is missing', async () => {
    const release = await uploadRelease(server, randomBytes(4096), { pid: 'P', fwKey: 'K', channel: 'main', label: '1.0.1' });
    assert.equal((await api(server, 'POST', '/api/v1/deployments', { releaseId: release.id })).status, 201);
    const zephyr = new ZephyrHawkbitClient(server.url, 'nrf52840dk', 'a1b2c3d4', 480 * 1024);
    const first = await zephyr.probe();
    assert.equal(first.outcome, 'NO_UPDATE', first.error);
    assert.deepEqual(first.requests, ['GET /default/controller/v1/nrf52840dk-a1b2c3d4', 'PUT /default/controller/v1/nrf52840dk-a1b2c3d4/configData']);
    assert.equal(first.sleep?.length, 8);
    // hawkBit drops the configData link after any PUT: no probe → configData → probe loop.
    const second = await zephyr.probe();
    assert.deepEqual(second.requests, ['GET /default/controller/v1/nrf52840dk-a1b2c3d4']);
    const seen = await device(zephyr.controllerId);
    assert.equal(seen.attributes.VIN, 'a1b2c3d4');
    assert.equal(seen.attributes.hwRevision, '3');
    assert.match(seen.whyNot[0]!.reason, /has not reported fw_key or channel; deployment \d+ needs channel main and a key bound to PID P/);
  });

  it('with custom attributes: parses the deploymentBase within its limits, installs, and closes the action after reboot', async () => {
    const image = randomBytes(20_000);
    // A release with a signed manifest: Zephyr must still see one chunk with one artifact.
    const release: Release = await uploadRelease(server, image, {
      pid: 'P',
      fwKey: 'K',
      channel: 'main',
      label: '1.0.1',
      filename: 'zephyr.signed.bin',
      signedManifest: await signedManifestBase64(image, 'zephyr.signed.bin'),
    });
    assert.ok(release.signedManifest);
    assert.equal(release.part, 'bApp', 'the default part is the one Zephyr accepts');
    assert.equal((await api(server, 'POST', '/api/v1/deployments', { releaseId: release.id })).status, 201);

    const zephyr = new ZephyrHawkbitClient(server.url, 'nrf52840dk', 'a1b2c3d4', 480 * 1024, { fw_key: 'K', channel: 'main', pid: 'P' });
    const first = await zephyr.probe();
    assert.equal(first.outcome, 'NO_UPDATE', 'the first poll only asks for attributes');
    const install = await zephyr.probe();
    assert.equal(install.outcome, 'UPDATE_INSTALLED', install.error);
    assert.ok(zephyr.slot1?.equals(image));
    assert.equal(install.requests.length, 3);
    assert.match(install.requests[2]!, /^GET \/DEFAULT\/controller\/v1\/nrf52840dk-a1b2c3d4\/softwaremodules\/\d+\/artifacts\/zephyr\.signed\.bin$/);

    // After the reboot the client sees the same action and reports it closed.
    const after = await zephyr.probe();
    assert.equal(after.outcome, 'OK', after.error);
    const sessions = (await api(server, 'GET', '/api/v1/sessions')).json as UpdateSession[];
    assert.equal(sessions[0]!.state, 'succeeded');
    assert.equal((await zephyr.probe()).outcome, 'NO_UPDATE');
  });

  it('refuses what it cannot take: an image larger than slot 1, and another part name', async () => {
    const small = new ZephyrHawkbitClient(server.url, 'board', 'dev1', 1000, { fw_key: 'K', channel: 'main' });
    await uploadRelease(server, randomBytes(5000), { pid: 'P', fwKey: 'K', channel: 'main', label: '1.0.1' }).then((r) => api(server, 'POST', '/api/v1/deployments', { releaseId: r.id }));
    await small.probe();
    const tooBig = await small.probe();
    assert.equal(tooBig.outcome, 'DOWNLOAD_ERROR');
    assert.match(tooBig.error!, /Artifact file size too big \(got 5000, max is 1000\)/);

    // `ota push --part os` (a release meant for another client) is refused by name.
    const os = await uploadRelease(server, randomBytes(500), { pid: 'P', fwKey: 'K', channel: 'main', label: '1.0.2', part: 'os' });
    assert.equal(os.part, 'os');
    await api(server, 'POST', '/api/v1/deployments', { releaseId: os.id });
    assert.equal((await small.probe()).outcome, 'CANCEL_UPDATE', 'the older action is cancelled first');
    const other = await small.probe();
    assert.equal(other.outcome, 'DOWNLOAD_ERROR');
    assert.equal(other.error, "Only part 'bApp' is supported; got os");
  });

  it('its JSON rules: unknown fields skipped, a second artifact fails the whole parse, a string size fails it', () => {
    const artifact = { filename: 'a', hashes: { sha256: 'x' }, size: 1, _links: {}, extra: [{ k: 1 }] };
    const body = (artifacts: unknown[], chunk: object = {}) => JSON.stringify({ id: '1', deployment: { download: 'forced', chunks: [{ part: 'bApp', artifacts, metadata: [{ key: 'k', value: 'v' }], ...chunk }] }, actionHistory: { status: 'RUNNING' } });
    const parsed = zephyrParse(body([artifact]), depResDescr) as { deployment: { chunks: { artifacts: unknown[] }[] } };
    assert.equal(parsed.deployment.chunks[0]!.artifacts.length, 1);
    assert.throws(() => zephyrParse(body([artifact, artifact]), depResDescr), (e: ZephyrJsonError) => e.errno === 'ENOSPC');
    assert.throws(() => zephyrParse(body([{ ...artifact, size: '1' }]), depResDescr), (e: ZephyrJsonError) => e.errno === 'EINVAL');
  });
});
