import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FinishedRun } from '../../src/providers/plan/stressRun';
import { freePort } from './helpers/workbench';

const repoRoot = path.resolve(__dirname, '..', '..', '..');

describe('OTA demo scenarios with reports', function () {
  this.timeout(240_000);
  const folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
  const localFile = path.join(folder, '.vscode', 'ota.local.json');
  const artifact = path.join(folder, 'build', 'smart-plug.bin');

  before(async () => {
    await fs.writeFile(localFile, JSON.stringify({ servers: [{ type: 'local', name: 'local', host: '127.0.0.1', port: await freePort() }] }));
    await fs.mkdir(path.dirname(artifact), { recursive: true });
    await fs.copyFile(path.join(repoRoot, 'test', 'fixtures', 'esp-idf', 'esp_idf_blink_esp32s2.bin'), artifact);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('ota.stopServer');
    await fs.rm(path.join(folder, 'build'), { recursive: true, force: true });
    await fs.rm(path.join(folder, '.ota'), { recursive: true, force: true });
    await fs.rm(localFile, { force: true });
  });

  it('Stress (3 cycles): five simulated devices, one dropping off and resuming; its report on disk', async () => {
    const done = await vscode.commands.executeCommand<FinishedRun | undefined>('ota.runDemo', 'stress');
    assert.ok(done, 'the scenario returned its run');
    const r = done.report;
    assert.equal(r.complete, true, r.stoppedBecause);
    assert.equal(r.cycles.length, 3);
    assert.deepEqual(r.cycles.map((c) => c.counts.succeeded), [5, 5, 5]);
    assert.deepEqual(r.results.filter((d) => d.deviceId === 'demo-stress-2').map((d) => d.resumes), [1, 1, 1]);
    assert.ok(done.dir.startsWith(path.join(folder, '.ota', 'reports')), done.dir);
    await fs.access(path.join(done.dir, 'report.html'));
  });

  it('Wrong key: the two devices with an unbound key are not offered the update, and the report says why', async () => {
    const done = await vscode.commands.executeCommand<FinishedRun | undefined>('ota.runDemo', 'wrong-key');
    assert.ok(done);
    const r = done.report;
    assert.equal(r.kind, 'update');
    assert.deepEqual(r.results.map((d) => d.result), ['not-offered', 'not-offered', 'succeeded', 'succeeded']);
    assert.match(r.results[0]!.reason ?? '', /needs a key bound to PID/);
  });

  it('Rollback: predicted per device, deployed, and reported against the prediction', async () => {
    const done = await vscode.commands.executeCommand<FinishedRun | undefined>('ota.runDemo', 'rollback');
    assert.ok(done);
    const rb = done.report.rollback!;
    assert.equal(rb.predictions.length, 4);
    assert.deepEqual(rb.outcomes.map((o) => [o.predicted, o.actual, o.matches]), Array(4).fill(['installs', 'succeeded', true]));
    assert.match(rb.predictions[0]!.dashboard, /failed update on dashboards that compare labels/);
  });

  it('Staged rollout with a failing group: pauses at the error threshold, resumes after the fix, finishes; its report on disk', async () => {
    const done = await vscode.commands.executeCommand<FinishedRun | undefined>('ota.runDemo', 'staged-rollout');
    assert.ok(done, 'the scenario returned its run');
    const r = done.report;
    assert.equal(r.kind, 'rollout');
    assert.equal(r.complete, true, r.stoppedBecause);
    const ro = r.rollout!;
    assert.equal(ro.state, 'finished');
    assert.deepEqual(ro.groups.map((g) => g.devices.length), [3, 3, 3]);
    const pause = ro.timeline.find((t) => t.state === 'paused' && !t.action);
    assert.match(pause?.reason ?? '', /^group 2: .* over the error threshold of 50%/, JSON.stringify({ timeline: ro.timeline, cycles: r.cycles, results: r.results.map((d) => [d.deviceId, d.cycle, d.result, d.reason, d.versionNote, d.versionBefore]), versions: r.versions }));
    assert.ok(ro.timeline.some((t) => t.action === 'resumed'));
    assert.deepEqual(r.cycles.map((c) => [c.group, c.counts.succeeded, c.counts.failed]), [['group 1', 3, 0], ['group 2', 0, 3], ['group 2, retry 1', 3, 0], ['group 3', 3, 0]]);
    const md = await fs.readFile(path.join(done.dir, 'report.md'), 'utf8');
    assert.match(md, /## Staged rollout/);
    assert.match(await fs.readFile(path.join(done.dir, 'report.html'), 'utf8'), /<svg id="chart-rollout"/);
  });
});
