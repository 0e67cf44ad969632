import * as assert from 'node:assert/strict';
import { parseFault } from '../../../src/device/simulator/faults';
import { buildSyntheticEspImage } from '../../../src/device/simulator/syntheticImage';
import { SimHarness } from './helpers/simHarness';

/**
 * The seed: a device goes offline while it installs and comes back by itself. Once the image is
 * downloaded, the server gives the device the install timeout (not the offline timeout) to
 * install, reboot and self-test before it declares the update failed.
 */
describe('install window: a device silent while it installs, reboots and self-tests', function () {
  this.timeout(30_000);
  let h: SimHarness | undefined;
  const v100 = buildSyntheticEspImage({ version: '1.0.0', size: 32 * 1024 });
  const v101 = buildSyntheticEspImage({ version: '1.0.1', size: 32 * 1024 });

  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('a self-test longer than the offline timeout but shorter than the install timeout succeeds', async () => {
    h = await SimHarness.start(1500, { settings: { installTimeoutMs: 20_000 } });
    const { device } = h.device({ id: 'slow-test', factoryImage: v100, faults: [parseFault('self-test:slow=4s')] });
    await h.online('slow-test');
    await h.deploy(await h.release(v101, '1.0.1'));
    const session = await h.ended('slow-test', 20_000);
    assert.equal(session.state, 'succeeded', session.failureReason);
    assert.equal(device.runningVersion, '1.0.1');
  });

  it('a self-test longer than the install timeout fails the session: the device did not come back after installing', async () => {
    h = await SimHarness.start(1000, { settings: { installTimeoutMs: 1500 } });
    h.device({ id: 'gone', factoryImage: v100, faults: [parseFault('self-test:slow=6s')] });
    await h.online('gone');
    await h.deploy(await h.release(v101, '1.0.1'));
    const session = await h.ended('gone', 20_000);
    assert.equal(session.state, 'failed');
    assert.match(session.failureReason ?? '', /^device gone did not come back after installing: silent for \d+ s since the download completed \((downloaded|installing)\), longer than the install timeout of 1\.5 s/);
    assert.equal(session.bytesServed, session.size, 'the whole image was served first');
  });
});
