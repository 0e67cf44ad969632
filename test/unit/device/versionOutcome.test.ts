import * as assert from 'node:assert/strict';
import { formatStatus } from '../../../src/cli/commands/status';
import type { StatusReport } from '../../../src/core/protocol/management';
import { buildSyntheticEspImage } from '../../../src/device/simulator/syntheticImage';
import { api } from '../server/helpers/server';
import type { SimHarness } from './helpers/simHarness';
import { simHarnessEachTest } from './helpers/simHarness';

/**
 * The seed's stress and rollback releases against the real server and simulator: the update
 * installs (the session succeeds), and the server records what the device runs against the
 * label and the version inside the image, because an app comparing labels calls it a failure.
 */
describe('version outcome of a finished update', function () {
  this.timeout(40_000);
  let h: SimHarness;
  const v100 = buildSyntheticEspImage({ version: '1.0.0', size: 32 * 1024 });
  const v101 = buildSyntheticEspImage({ version: '1.0.1', size: 32 * 1024 });

  simHarnessEachTest(5000, (started) => (h = started));

  async function statusText(): Promise<string> {
    return formatStatus((await api(h.server, 'GET', '/api/v1/status')).json as StatusReport);
  }

  it('a real update: the device runs the label', async () => {
    h.device({ id: 'real', factoryImage: v100 });
    await h.online('real');
    await h.deploy(await h.release(v101, '1.0.1'));
    const s = await h.ended('real');
    assert.equal(s.state, 'succeeded', s.failureReason);
    assert.deepEqual(s.version, { label: '1.0.1', embedded: '1.0.1', running: '1.0.1', verdict: 'label', summary: 'device runs 1.0.1, the release label' });
    assert.equal(s.versionBefore, '1.0.0');
    const text = await statusText();
    assert.doesNotMatch(text, /VERSION:/);
    assert.match(text, /^server .*, offline timeout 5 s, install timeout 300 s, minimum bandwidth 20 kbps\n/);
  });

  it('stress release (1.0.0 bytes as 1.0.1): succeeded, running 1.0.0, the image version, as before', async () => {
    h.device({ id: 'stress', factoryImage: v100 });
    await h.online('stress');
    await h.deploy(await h.release(v100, '1.0.1'));
    const s = await h.ended('stress');
    assert.equal(s.state, 'succeeded', s.failureReason);
    assert.equal(s.version?.verdict, 'embedded');
    assert.equal(s.version?.label, '1.0.1');
    assert.equal(s.version?.embedded, '1.0.0');
    assert.equal(s.version?.running, '1.0.0');
    assert.equal(
      s.version?.summary,
      'device runs 1.0.0 after release 1.0.1: the image carries 1.0.0 inside (a stress release: the same version it ran before); dashboards that compare labels show this as a failed update',
    );
    assert.match(await statusText(), new RegExp(`\\n  ${s.id}  device stress .* succeeded .*\\n    VERSION: device runs 1\\.0\\.0 after release 1\\.0\\.1`));
  });

  it('rollback release (1.0.0 bytes as 1.0.2) after a real 1.0.1: succeeded, running 1.0.0, recorded as a rollback', async () => {
    h.device({ id: 'rollback', factoryImage: v100 });
    await h.online('rollback');
    await h.deploy(await h.release(v101, '1.0.1'));
    const first = await h.ended('rollback');
    assert.equal(first.version?.verdict, 'label');
    await h.deploy(await h.release(v100, '1.0.2'));
    const s = await h.ended('rollback', 15_000, first.id);
    assert.equal(s.state, 'succeeded', s.failureReason);
    assert.equal(s.versionBefore, '1.0.1');
    assert.deepEqual(s.version, {
      label: '1.0.2',
      embedded: '1.0.0',
      running: '1.0.0',
      verdict: 'embedded',
      summary: 'device runs 1.0.0 after release 1.0.2: the image carries 1.0.0 inside (a rollback release: it ran 1.0.1 before); dashboards that compare labels show this as a failed update',
    });
    assert.match(await statusText(), /VERSION: device runs 1\.0\.0 after release 1\.0\.2: the image carries 1\.0\.0 inside \(a rollback release/);
  });
});

describe('version outcome of an Arduino HTTPUpdate device', function () {
  this.timeout(30_000);
  let h: SimHarness;

  simHarnessEachTest(5000, (started) => (h = started));

  it('stress release (1.0.0 bytes as 1.0.1): installed once, succeeded when the device comes back reporting the image version', async () => {
    const v100 = buildSyntheticEspImage({ version: '1.0.0', size: 16 * 1024 });
    const { device } = h.device({ id: '24:0a:c4:00:00:09', protocol: 'arduino', factoryImage: v100 });
    await h.online('24:0a:c4:00:00:09');
    await h.deploy(await h.release(v100, '1.0.1'));
    const s = await h.ended('24:0a:c4:00:00:09');
    assert.equal(s.state, 'succeeded', s.failureReason);
    assert.equal(s.version?.verdict, 'embedded');
    assert.equal(s.version?.running, '1.0.0');
    assert.equal(s.version?.embedded, '1.0.0');
    assert.equal(device.stats.installs, 1, 'not offered again once it runs the image it was given');
  });
});
