import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { SimFleet } from '../../../src/device/simulator/fleet';
import { buildSyntheticEspImage } from '../../../src/device/simulator/syntheticImage';
import type { SimHarness } from './helpers/simHarness';
import { simHarnessEachTest } from './helpers/simHarness';

describe('simulated fleet', function () {
  this.timeout(60_000);
  let h: SimHarness;

  simHarnessEachTest(30_000, (started) => (h = started));

  it('runs 200 devices in one process, each with its own id, all updated, with bounded memory', async () => {
    const count = 200;
    const image = buildSyntheticEspImage({ version: '1.0.0', size: 16 * 1024 });
    const update = buildSyntheticEspImage({ version: '1.0.1', size: 16 * 1024 });
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const fleet = new SimFleet({
      count,
      dir: path.join(h.dir, 'fleet'),
      startSpreadMs: 2000,
      device: { server: h.server.url, pid: 'P1', fwKey: 'K1', channel: 'main', factoryImage: image, pollIntervalMs: 1000, rebootMs: 200, installMs: 50, selfTestMs: 50 },
    });
    const abort = new AbortController();
    const running = fleet.run(abort.signal);
    try {
      await h.until(() => (fleet.summary().phases.idle === count ? true : undefined), 20_000, 'every device online');
      await h.deploy(await h.release(update, '1.0.1'));
      let peakHeap = 0;
      const summary = await h.until(() => {
        peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
        const s = fleet.summary();
        return s.versions['1.0.1'] === count ? s : undefined;
      }, 45_000, `all ${count} devices on 1.0.1 (now ${JSON.stringify(fleet.summary().versions)})`);
      assert.equal(summary.installs, count);
      assert.equal(new Set(fleet.devices.map((d) => d.id)).size, count);
      const sessions = (await Promise.all(fleet.devices.slice(0, 5).map((d) => h.ended(d.id)))).map((s) => s.state);
      assert.deepEqual(sessions, Array(5).fill('succeeded'));
      // Images stream to files; the per-device cost is a few objects, not its image.
      const growthMb = (peakHeap - heapBefore) / 1024 / 1024;
      assert.ok(growthMb < 64, `heap grew ${growthMb.toFixed(1)} MB for ${count} devices and the in-process server`);
    } finally {
      abort.abort();
      await running;
    }
  });
});
