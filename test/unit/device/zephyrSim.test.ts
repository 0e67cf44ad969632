import * as assert from 'node:assert/strict';
import { buildSyntheticEspImage } from '../../../src/device/simulator/syntheticImage';
import type { SimHarness } from './helpers/simHarness';
import { eventually } from '../../helpers/eventually';
import { simHarnessEachTest } from './helpers/simHarness';

describe('simulated device speaking as Zephyr\'s hawkBit client', function () {
  this.timeout(30_000);
  let h: SimHarness;
  const v100 = buildSyntheticEspImage({ version: '1.0.0', size: 48 * 1024 });
  const v101 = buildSyntheticEspImage({ version: '1.0.1', size: 48 * 1024 });

  simHarnessEachTest(5000, (started) => (h = started));

  it('reports VIN once when asked, installs a bApp release, and closes the action with no other feedback', async () => {
    const { device } = h.device({ id: 'nrf-1', hawkbitClient: 'zephyr', factoryImage: v100 });
    const attrs = await h.online('nrf-1');
    assert.equal(attrs['VIN'], 'nrf-1');
    assert.equal(attrs['hwRevision'], '3');
    await h.deploy(await h.release(v101, '1.0.1'));
    const session = await h.ended('nrf-1');
    assert.equal(session.state, 'succeeded', session.failureReason);
    assert.equal(device.runningVersion, '1.0.1');
    assert.ok(device.stats.feedback.every((f) => / closed\//.test(f)), device.stats.feedback.join('\n'));
  });

  it('refuses a release of another part as Zephyr does: logged, nothing downloaded, the session waits', async () => {
    const { device, lines } = h.device({ id: 'nrf-2', hawkbitClient: 'zephyr', factoryImage: v100 });
    await h.online('nrf-2');
    await h.deploy(await h.release(v101, '1.0.1', { part: 'os' }));
    await eventually(() => (lines.some((l) => l.includes("Only part 'bApp' is supported; got os")) ? true : undefined), 10_000, 'the part refusal');
    assert.equal(device.stats.downloadsStarted, 0);
    assert.equal(device.runningVersion, '1.0.0');
    assert.equal((await h.sessions('nrf-2'))[0]?.state, 'offered');
  });
});
