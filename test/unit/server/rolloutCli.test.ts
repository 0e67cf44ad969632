import * as assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildSyntheticEspImage } from '../../../src/device/simulator/syntheticImage';
import { SimulatedDevice } from '../../../src/device/simulator/simulatedDevice';
import { ManagementClient } from '../../../src/providers/ota/managementClient';
import type { RolloutStatus } from '../../../src/providers/provider';
import { eventually } from '../../helpers/eventually';
import { runCli } from '../../helpers/runCli';
import { exited, spawnServer } from './helpers/child';
import { removeDir, tempDir } from './helpers/server';

/**
 * `ota rollout …` with `--server URL` against a real `ota serve` child process, and simulated
 * devices updating from it over DDI: the same verbs as for hawkBit, status printed per group.
 */
describe('ota rollout against ota serve', function () {
  this.timeout(120_000);
  let dir: string;
  let child: ChildProcess;
  let url: string;
  let env: NodeJS.ProcessEnv;
  let client: ManagementClient;
  const abort = new AbortController();
  const runs: Promise<void>[] = [];
  const devices = new Map<string, SimulatedDevice>();

  before(async () => {
    dir = await tempDir('ota-rollout-cli-');
    const data = join(dir, 'data');
    ({ child, url } = await spawnServer(['--data', data]));
    const token = (await readFile(join(data, 'token'), 'utf8')).trim();
    env = { OTA_SERVER_TOKEN: token };
    client = new ManagementClient(url, token);
    for (const id of ['d1', 'd2', 'd3', 'd4']) {
      const device = new SimulatedDevice({
        id,
        server: url,
        pid: 'P1',
        fwKey: 'K1',
        channel: 'main',
        dir: join(dir, 'devices', id),
        factoryImage: buildSyntheticEspImage({ version: '1.0.0', size: 16 * 1024 }),
        pollIntervalMs: 250,
        rebootMs: 100,
        installMs: 50,
        selfTestMs: 50,
        retryMs: 250,
        // d3's new image fails its self-test (and it rolls back) until the fault is cleared.
        ...(id === 'd3' ? { faults: Array.from({ length: 10 }, () => ({ kind: 'self-test' as const, fail: true })) } : {}),
      });
      devices.set(id, device);
      runs.push(device.run(abort.signal));
    }
    await eventually(async () => {
      const status = await client.status();
      return status.devices.filter((d) => d.attributes['fw_key'] === 'K1').length === 4 ? true : undefined;
    }, 20_000, 'the four devices to report their key');
  });

  after(async () => {
    abort.abort();
    await Promise.allSettled(runs);
    for (const d of devices.values()) await d.console.close();
    child.kill('SIGTERM');
    await exited(child);
    await removeDir(dir);
  });

  async function release(version: string): Promise<string> {
    const file = join(dir, `fw-${version}.bin`);
    await writeFile(file, buildSyntheticEspImage({ version, size: 16 * 1024 }));
    return (await client.pushFile(file, { pid: 'P1', fwKey: 'K1', channel: 'main', label: version })).id;
  }

  async function ota(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return runCli([...args, '--server', url], { env });
  }

  async function statusJson(id: string): Promise<RolloutStatus> {
    const ran = await ota('rollout', 'status', id, '--json');
    assert.equal(ran.code, 0, ran.stderr);
    return (JSON.parse(ran.stdout) as { rollout: RolloutStatus }).rollout;
  }

  function untilStatus(id: string, status: string): Promise<RolloutStatus> {
    return eventually(async () => {
      const r = await statusJson(id);
      return r.status === status ? r : undefined;
    }, 60_000, `rollout ${id} to be ${status}`, 250);
  }

  it('create, start, a pause at the error threshold, resume after the fix, status per group', async () => {
    const releaseId = await release('1.0.1');
    const created = await ota('rollout', 'create', releaseId, '--name', 'wave', '--groups', '1,1,50%', '--success', '100', '--error', '0', '--forced');
    assert.equal(created.code, 0, created.stderr);
    const id = /^rollout (\d+) wave: ready, 4 target\(s\) \(pending 4\)$/m.exec(created.stdout)?.[1];
    assert.ok(id, created.stdout);
    assert.match(created.stdout, /\n {2}group 1: scheduled, 1 target\(s\) \(pending 1\)\n {2}group 2: scheduled, 1 target\(s\) \(pending 1\)\n {2}group 3: scheduled, 2 target\(s\) \(pending 2\)\n$/);

    const started = await ota('rollout', 'start', id);
    assert.equal(started.code, 0, started.stderr);
    assert.match(started.stdout, new RegExp(`^rollout ${id} wave: running`));

    const paused = await untilStatus(id, 'paused');
    assert.equal(paused.state, 'paused');
    assert.deepEqual(paused.groups.map((g) => [g.status, g.perStatus.failed]), [['succeeded', 0], ['succeeded', 0], ['error', 1]]);
    assert.match(paused.reason ?? '', /^group 3: 1 of 2 device\(s\) failed/);
    const text = (await ota('rollout', 'status', id)).stdout;
    assert.match(text, new RegExp(`^rollout ${id} wave: paused, 4 target\\(s\\) \\(.*failed 1.*\\)\\n {2}group 3: 1 of 2 device\\(s\\) failed`));
    assert.match(text, /\n {2}group 3: error, 2 target\(s\) \(.*failed 1.*\)\n$/);

    devices.get('d3')!.clearFaults();
    const resumed = await ota('rollout', 'resume', id);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stdout, /resumed; 1 device\(s\) that had failed are offered the release again/);
    const finished = await untilStatus(id, 'finished');
    assert.equal(finished.state, 'finished');
    assert.deepEqual(finished.perStatus, { pending: 0, running: 0, succeeded: 4, failed: 0 });
    const all = await ota('rollout', 'status');
    assert.match(all.stdout, new RegExp(`^rollout ${id} wave: finished, 4 target\\(s\\) \\(succeeded 4\\)$`, 'm'));
  });

  it('approve starts the next group, cancel stops the rollout; bad input is a clear error', async () => {
    const releaseId = await release('1.0.2');
    const created = await ota('rollout', 'create', releaseId, '--name', 'gated', '--groups', '2', '--devices', 'd1,d2,d4', '--approve', '--json');
    assert.equal(created.code, 0, created.stderr);
    const id = (JSON.parse(created.stdout) as { rollout: RolloutStatus }).rollout.id;
    assert.equal((await ota('rollout', 'start', id)).code, 0);
    const waiting = await untilStatus(id, 'waiting');
    assert.equal(waiting.state, 'running');
    assert.match(waiting.reason ?? '', /group 1 reached its success threshold; approve to start group 2/);
    const approved = await ota('rollout', 'approve', id);
    assert.equal(approved.code, 0, approved.stderr);
    // Group 2 started: its one device is pending, or already downloading if it polled before the status was read.
    assert.match(approved.stdout, /\n {2}group 2: running, 1 target\(s\) \((pending|running) 1\)/);
    const cancelled = await ota('rollout', 'cancel', id);
    assert.equal(cancelled.code, 0, cancelled.stderr);
    assert.match(cancelled.stdout, new RegExp(`^rollout ${id} gated: cancelled`));
    assert.equal((await statusJson(id)).state, 'stopped');

    const badGroups = await ota('rollout', 'create', releaseId, '--name', 'x', '--groups', '1,abc');
    assert.equal(badGroups.code, 2);
    assert.match(badGroups.stderr, /--groups '1,abc': 'abc' is neither a device count/);
    const zero = await ota('rollout', 'create', releaseId, '--name', 'x', '--groups', '2', '--success', '0');
    assert.notEqual(zero.code, 0);
    assert.match(zero.stderr, /failed with 400: "successThreshold" must be above 0/);
    const again = await ota('rollout', 'resume', id);
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, /409: rollout \d+ is cancelled; only a paused rollout can resume/);
  });
});
