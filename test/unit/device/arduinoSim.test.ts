import * as assert from 'node:assert/strict';
import { parseFault } from '../../../src/device/simulator/faults';
import { buildSyntheticEspImage } from '../../../src/device/simulator/syntheticImage';
import type { SimHarness } from './helpers/simHarness';
import { simHarnessEachTest } from './helpers/simHarness';

describe('simulated device on the Arduino HTTPUpdate route', function () {
  this.timeout(30_000);
  let h: SimHarness;
  const v100 = buildSyntheticEspImage({ version: '1.0.0', size: 96 * 1024 });
  const v101 = buildSyntheticEspImage({ version: '1.0.1', size: 96 * 1024 });

  simHarnessEachTest(5000, (started) => (h = started));

  it('gets 304 until a deployment exists, then the whole image with x-MD5; reports the new version and gets 304 again', async () => {
    const { device, events } = h.device({ id: '24:0a:c4:00:00:01', protocol: 'arduino', factoryImage: v100 });
    await h.until(() => (events.some((e) => e.kind === 'no-update') ? true : undefined), 5000, 'a 304');
    const seen = await h.serverDevice('24:0a:c4:00:00:01');
    assert.deepEqual([seen?.protocol, seen?.attributes['fw_key'], seen?.attributes['version']], ['arduino', 'K1', '1.0.0']);
    await h.deploy(await h.release(v101, '1.0.1'));
    const session = await h.ended('24:0a:c4:00:00:01');
    assert.equal(session.state, 'succeeded', session.failureReason);
    assert.equal(device.runningVersion, '1.0.1');
    assert.equal(device.stats.downloadsStarted, 1, 'one download; then 304 because the version header says 1.0.1');
    const arduino = events.filter((e) => e.source.startsWith('arduino/') && e.kind !== 'poll' && e.kind !== 'no-update');
    // How many progress lines appear depends on how TCP chunks the body; their order does not.
    const progress = arduino.filter((e) => e.kind === 'ota-progress').map((e) => e.progress!);
    assert.deepEqual([...progress].sort((a, b) => a - b), progress);
    assert.equal(progress.at(-1), 100);
    assert.deepEqual(
      arduino.filter((e) => e.kind !== 'ota-progress').map((e) => e.kind),
      ['ota-start', 'ota-start', 'ota-complete', 'ota-complete'],
    );
  });

  it('as an ESP8266 with too little free sketch space: the server answers 403 and says why; the sketch prints Forbidden and installs nothing', async () => {
    const id = '5c:cf:7f:00:00:03';
    const { device, events } = h.device({ id, protocol: 'arduino', arduinoCore: 'esp8266', freeSketchSpace: 64 * 1024, factoryImage: v100 });
    await h.online(id);
    await h.deploy(await h.release(v101, '1.0.1'));
    const failure = await h.until(() => events.find((e) => e.source === 'arduino/failed'), 10_000, 'the 403');
    assert.deepEqual([failure.fields?.['errorCode'], failure.fields?.['error']], ['-103', 'Forbidden (403)']);
    const seen = await h.serverDevice(id);
    assert.equal(seen?.attributes['esp.free-space'], String(64 * 1024), 'sent as x-ESP8266-free-space');
    assert.match(seen?.whyNot[0]?.reason ?? '', /is 98304 bytes, more than the 65536 bytes of free sketch space device 5c:cf:7f:00:00:03 reported \(x-ESP8266-free-space\)/);
    assert.equal(device.stats.installs, 0);
    assert.equal(device.stats.downloadsStarted, 0);
  });

  it('a flipped byte fails the MD5 check: nothing installed, the sketch prints the HTTPUpdate error', async () => {
    const { device, events } = h.device({ id: '24:0a:c4:00:00:02', protocol: 'arduino', factoryImage: v100, faults: [parseFault('flip@5000')] });
    await h.online('24:0a:c4:00:00:02');
    await h.deploy(await h.release(v101, '1.0.1'));
    const failure = await h.until(() => events.find((e) => e.source === 'arduino/failed'), 10_000, 'the MD5 failure');
    assert.deepEqual([failure.fields?.['errorCode'], failure.fields?.['error']], ['7', 'MD5 Check Failed']);
    assert.equal(device.stats.installs, 0);
    assert.equal(device.runningVersion, '1.0.0');
    // Arduino has no feedback: the server only knows the device comes back with the old version; the
    // next request (the flip fired once) downloads the image again and succeeds.
    const session = await h.ended('24:0a:c4:00:00:02');
    assert.equal(session.state, 'succeeded', session.failureReason);
    assert.equal(device.stats.downloadsStarted, 2);
  });
});
