import * as assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { silentLogger } from '../../../src/core/logger';
import { EventLog } from '../../../src/server/storage/eventLog';
import { removeDir, tempDir } from './helpers/server';

describe('event log on disk', () => {
  it('keeps count of its size across appends and reopenings, and rotates past the limit', async () => {
    const dir = await tempDir();
    const path = join(dir, 'events.log');
    try {
      const event = (id: number) => ({ id, at: new Date(0).toISOString(), type: 'device.seen' as const, data: { deviceId: `d${id}` } });
      const line = Buffer.byteLength(`${JSON.stringify(event(10))}\n`);
      let { eventLog } = await EventLog.open(path, 100, silentLogger, 10 * line);
      for (let id = 10; id < 16; id++) {
        eventLog.append(event(id));
        await eventLog.flush();
      }
      assert.equal((await stat(path)).size, 6 * line);
      // Reopened, it goes on from the size on disk: 4 more fit, the 5th rotates.
      ({ eventLog } = await EventLog.open(path, 100, silentLogger, 10 * line));
      for (let id = 16; id < 21; id++) {
        eventLog.append(event(id));
        await eventLog.flush();
      }
      assert.equal((await stat(`${path}.1`)).size, 10 * line);
      assert.equal((await stat(path)).size, line);
      const { recent } = await EventLog.open(path, 100, silentLogger, 10 * line);
      assert.deepEqual(recent.map((e) => e.id), [20]);
    } finally {
      await removeDir(dir);
    }
  });
});
