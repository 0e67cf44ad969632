import * as assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { SimHarness } from './helpers/simHarness';

describe('the simulator test harness', () => {
  it('fails a wait at once with the error of a simulated device that crashed, and fails close too', async () => {
    const h = await SimHarness.start(5000);
    let closed = false;
    try {
      // A file where the device keeps its flash: it cannot boot.
      const notADir = path.join(h.dir, 'flash-is-a-file');
      await writeFile(notADir, 'x');
      h.device({ id: 'broken', dir: notADir });
      await assert.rejects(h.online('broken', 60_000), (err: unknown) => err instanceof Error && /^simulated device broken crashed: /.test(err.message) && !/gave up/.test(err.message));
      closed = true;
      await assert.rejects(h.close(), /simulated device broken crashed/);
    } finally {
      if (!closed) await h.close().catch(() => undefined);
    }
  });
});
