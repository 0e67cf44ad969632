import * as assert from 'node:assert/strict';
import { promises as fs, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DeviceLogStream } from '../../../src/device/deviceLogStream';
import { LogParser } from '../../../src/device/parsers/logParser';
import type { DeviceEvent } from '../../../src/device/parsers/deviceEvent';
import { SerialManager } from '../../../src/device/serial/serialManager';
import { setTimeout as delay } from 'node:timers/promises';
import { openPtyPair } from '../../../src/device/simulator/ptyPair';
import type { PtyPair } from '../../../src/device/simulator/ptyPair';
import { fixtureLog, summary } from './helpers/fixtureLogs';

describe('serial manager + log parser over a socat pty pair', function () {
  this.timeout(15000);
  let dir: string;
  let pair: PtyPair;
  let manager: SerialManager;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ota-serial-parse-'));
    pair = await openPtyPair(dir);
    manager = new SerialManager();
  });

  afterEach(async () => {
    manager.dispose();
    await pair.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  /** Plays a recorded log into the device end in 512-byte writes, like a UART with a FIFO. */
  async function play(name: string, stream: DeviceLogStream, until: (e: DeviceEvent) => boolean): Promise<DeviceEvent[]> {
    const events: DeviceEvent[] = [];
    let finished = false;
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no final event within 5 s; got ${events.map(summary).join(', ')}`)), 5000);
      stream.onEvent((e) => {
        if (finished) return; // the rest of the log is not part of this scenario
        events.push(e);
        if (!until(e)) return;
        finished = true;
        clearTimeout(timer);
        resolve();
      });
    });
    const bytes = readFileSync(fixtureLog(name));
    const handle = await fs.open(pair.device, 'w');
    try {
      for (let i = 0; i < bytes.length; i += 512) {
        await handle.write(bytes.subarray(i, i + 512));
        await delay(2);
      }
    } finally {
      await handle.close();
    }
    await done;
    return events;
  }

  it('turns a recorded ESP-IDF OTA log into the expected events', async () => {
    const connection = await manager.connect({ path: pair.monitor, baudRate: 115200 });
    assert.equal(connection.state.kind, 'connected');
    const stream = new DeviceLogStream(connection, new LogParser({ device: 'esp32s2-lab', ruleSets: ['esp-idf'] }));
    const events = await play('esp-idf-ota.log', stream, (e) => e.kind === 'confirmed');
    assert.deepEqual(events.map(summary), [
      'boot booting',
      'boot booting',
      'boot booting',
      'app-info -',
      'app-info running 1.0.0',
      'app-info -',
      'app-info -',
      'ota-start checking',
      'ota-start checking',
      'ota-start downloading',
      'app-info running 1.0.0',
      'ota-start downloading',
      'ota-progress downloading',
      'ota-progress downloading',
      'ota-progress downloading',
      'ota-progress downloading',
      'ota-progress downloading',
      'ota-complete rebooting',
      'boot booting',
      'boot booting',
      'boot booting',
      'app-info -',
      'app-info running 1.0.1',
      'app-info -',
      'app-info -',
      'confirmed confirmed',
    ]);
    assert.ok(events.every((e) => e.device === 'esp32s2-lab'));
    assert.deepEqual(
      { state: stream.snapshot.state, version: stream.snapshot.version },
      { state: 'confirmed', version: '1.0.1' },
    );
  });

  it('turns a recorded MCUboot boot log into the expected events', async () => {
    const connection = await manager.connect({ path: pair.monitor, baudRate: 115200 });
    const stream = new DeviceLogStream(connection, new LogParser({ device: 'nrf52-lab', ruleSets: ['mcuboot', 'zephyr'] }));
    const events = await play('mcuboot-swap.log', stream, (e) => e.kind === 'ota-error');
    const mcuboot = events.filter((e) => e.source.startsWith('mcuboot/'));
    assert.deepEqual(mcuboot.map((e) => `${summary(e)}${e.fields?.['swapType'] ? ` swap=${e.fields['swapType']}` : ''}`), [
      'boot booting',
      'boot booting',
      'boot -',
      'boot -',
      'boot -',
      'swap installing swap=test',
      'swap installing',
      'boot booting',
      'app-info - 1.2.3',
      'boot booting',
      'boot booting',
      'boot booting',
      'boot -',
      'boot -',
      'boot -',
      'rollback rolled-back swap=revert',
      'swap installing',
      'boot booting',
      'app-info - 1.2.2',
      'boot booting',
      'boot booting',
      'boot booting',
      'boot -',
      'boot -',
      'boot -',
      'swap installing swap=perm',
      'ota-error failed',
    ]);
    assert.equal(mcuboot.at(-1)?.fields?.['error'], 'Insufficient version in secondary slot');
  });
});
