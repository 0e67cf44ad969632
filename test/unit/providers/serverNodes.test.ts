import * as assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serverStatusNodes } from '../../../src/extension/serverNodes';
import { deployOnDouble } from '../../doubles/hawkbit/deployedRelease';
import { HawkbitDouble } from '../../doubles/hawkbit/hawkbitDouble';

/** The OTA view's rows under a hawkBit server, from the provider over the double. */
describe('OTA view: a hawkBit server node', () => {
  it("lists the double's targets (with why-not), an action's progress and history, and rollouts", async () => {
    const double = await new HawkbitDouble('current').start();
    const dir = await mkdtemp(join(tmpdir(), 'ota-nodes-'));
    try {
      double.addTarget('dev-a', { pid: 'P', fw_key: 'K1', channel: 'main', version: '1.0.0' });
      double.addTarget('dev-b', { pid: 'P', fw_key: 'KX', channel: 'main' });
      const { provider, release } = await deployOnDouble(double, dir, '1.1.0', 4096);
      double.report('dev-a', 'download', 'Downloading fw.bin');
      await provider.rollouts.create({ name: 'wave', releaseId: release.id, pid: 'P', fwKey: 'K1', channel: 'main', groups: 1 });
      const nodes = serverStatusNodes(await provider.status(), await provider.rollouts.list());
      assert.deepEqual(nodes.map((n) => `${n.label} ${n.description}`), ['Devices 2', 'Actions 1', 'Rollouts 1']);
      const [devices, actions, rollouts] = nodes;
      assert.equal(devices!.children![0]!.description, 'pid=P fw_key=K1 channel=main version=1.0.0');
      assert.equal(devices!.children![1]!.icon, 'warning');
      assert.match(devices!.children![1]!.children![0]!.description!, /reports fw_key KX/);
      const action = actions!.children![0]!;
      assert.equal(action.label, 'dev-a: downloading');
      assert.match(action.description!, /fw\.bin 1\.1\.0/);
      assert.ok(action.children!.some((c) => /download: Downloading fw\.bin/.test(c.label)), JSON.stringify(action.children));
      assert.equal(rollouts!.children![0]!.label, 'wave');
    } finally {
      await double.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
