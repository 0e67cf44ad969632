import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { DeviceLogStream } from '../../../src/device/deviceLogStream';
import { LogParser } from '../../../src/device/parsers/logParser';
import type { DeviceEvent } from '../../../src/device/parsers/deviceEvent';
import { SerialConnection } from '../../../src/device/serial/serialConnection';
import { openPtyPair } from '../../../src/device/simulator/ptyPair';
import type { PtyPair } from '../../../src/device/simulator/ptyPair';
import { buildSyntheticEspImage } from '../../../src/device/simulator/syntheticImage';
import { SimHarness } from './helpers/simHarness';

describe('simulator console over a socat pty, read by the serial manager and parser', function () {
  this.timeout(30_000);
  let h: SimHarness;
  let pty: PtyPair | undefined;
  let connection: SerialConnection | undefined;

  beforeEach(async () => {
    h = await SimHarness.start(5000);
  });

  afterEach(async () => {
    await connection?.disconnect();
    connection?.dispose();
    await h.close();
    await pty?.close();
  });

  it('shows an update live as normalized events: attributes, download progress, reboot, new version, confirmation', async () => {
    pty = await openPtyPair(path.join(h.dir, 'pty'));
    connection = new SerialConnection({ path: pty.monitor, baudRate: 115200 });
    assert.equal((await connection.connect()).kind, 'connected');
    const stream = new DeviceLogStream(connection, new LogParser({ device: 'uart-dev', ruleSets: ['simulator', 'esp-idf'] }));
    const events: DeviceEvent[] = [];
    stream.onEvent((e) => events.push(e));

    h.device({ id: 'uart-dev', factoryImage: buildSyntheticEspImage({ version: '1.0.0', size: 160 * 1024 }) }, pty.device);
    await h.until(() => (events.some((e) => e.kind === 'attributes') ? true : undefined), 5000, 'the attributes line over the pty');
    await h.deploy(await h.release(buildSyntheticEspImage({ version: '1.0.1', size: 160 * 1024 }), '1.0.1'));
    await h.until(() => (events.some((e) => e.kind === 'confirmed') ? true : undefined), 15_000, 'the confirmation over the pty');

    const attributes = events.find((e) => e.kind === 'attributes');
    assert.deepEqual([attributes?.fwKey, attributes?.channel, attributes?.version], ['K1', 'main', '1.0.0']);
    const progress = events.filter((e) => e.kind === 'ota-progress' && e.progress !== undefined).map((e) => e.progress);
    assert.deepEqual(progress, [40, 80, 100], 'every 64 KiB of 160 KiB, then done');
    assert.deepEqual(
      events.filter((e) => ['ota-start', 'reboot', 'confirmed'].includes(e.kind) || e.source === 'esp-idf/app-version').map((e) => `${e.kind}${e.version ? ` ${e.version}` : ''}`),
      ['app-info 1.0.0', 'ota-start', 'ota-start', 'reboot', 'app-info 1.0.1', 'confirmed'],
    );
    assert.deepEqual({ state: stream.snapshot.state, version: stream.snapshot.version }, { state: 'confirmed', version: '1.0.1' });
  });
});
