import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DemoHandle } from '../../src/extension/demo/demoRunner';
import type { LiveViewHandle } from '../../src/extension/live/liveView';
import type { ViewDescription } from '../../webview/protocol';
import { freePort, keepFile, quietWorkbench, viewUntil } from './helpers/workbench';

const repoRoot = path.resolve(__dirname, '..', '..', '..');

/** Every file under `dir`, relative and sorted. */
async function listing(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}

describe('OTA demo and live update view', function () {
  this.timeout(180_000);
  const folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
  const localFile = path.join(folder, '.vscode', 'ota.local.json');
  const artifact = path.join(folder, 'build', 'smart-plug.bin');
  const buildDir = path.dirname(artifact);
  let demo: DemoHandle | undefined;
  // What this suite changes, put back as it found it in after().
  const restore: (() => Promise<void>)[] = [];

  before(async () => {
    // No demo, embedded server or live view from an earlier suite: the demo starts its own on this config.
    restore.push(await quietWorkbench());
    restore.push(await keepFile(localFile), await keepFile(path.join(folder, '.vscode', 'settings.json')));
    const buildExisted = await fs.stat(buildDir).then(() => true, () => false);
    restore.push(buildExisted ? await keepFile(artifact) : () => fs.rm(buildDir, { recursive: true, force: true }));
    await fs.writeFile(localFile, JSON.stringify({ servers: [{ type: 'local', name: 'local', host: '127.0.0.1', port: await freePort() }] }));
    // The sample workspace has no ESP-IDF toolchain: the prebuilt fixture stands in for `idf.py build`.
    await fs.mkdir(buildDir, { recursive: true });
    await fs.copyFile(path.join(repoRoot, 'test', 'fixtures', 'esp-idf', 'esp_idf_blink_esp32s2.bin'), artifact);
    // Faster than the default a person watches, still slow enough for several progress events per device.
    await vscode.workspace.getConfiguration('otaWorkbench.demo').update('bytesPerSecond', 128 * 1024, vscode.ConfigurationTarget.Workspace);
  });

  after(async () => {
    await vscode.commands.executeCommand('ota.stopDemo');
    await vscode.commands.executeCommand('ota.stopServer');
    await vscode.workspace.getConfiguration('otaWorkbench.demo').update('bytesPerSecond', undefined, vscode.ConfigurationTarget.Workspace);
    // Last in, first out: the files first, then the server as it was (started on the config it had).
    for (const undo of restore.splice(0).reverse()) await undo();
  });

  it('without a built image in the workspace, runs on its own setup and writes nothing into the folder', async () => {
    const aside = `${artifact}.aside`;
    await fs.rename(artifact, aside);
    try {
      const before = await listing(folder);
      const handle = await vscode.commands.executeCommand<DemoHandle | undefined>('ota.runDemo', 'update');
      assert.ok(handle, 'OTA: Run Demo failed (its error is in the OTA Workbench log)');
      assert.equal(handle.setup.own, true);
      assert.ok(!handle.setup.folder.startsWith(folder), `the demo's own setup is in ${handle.setup.folder}, inside the workspace`);
      assert.equal(handle.devices.filter((d) => d.matching).length, 4);
      assert.equal(await vscode.commands.executeCommand<boolean>('ota.stopDemo'), true);
      assert.deepEqual(await listing(folder), before);
    } finally {
      await fs.rename(aside, artifact);
    }
  });

  it('updates every matching simulated device to the new embedded version and records why the wrong-key device is not offered', async () => {
    demo = await vscode.commands.executeCommand<DemoHandle | undefined>('ota.runDemo', 'update');
    assert.ok(demo, 'OTA: Run Demo failed (its error is in the OTA Workbench log)');
    assert.match(demo.release.embeddedVersion, /^\d+\.\d+\.\d+$/);
    assert.equal(demo.setup.own, false, 'the workspace has a built image: the demo releases it');
    const matching = demo.devices.filter((d) => d.matching).map((d) => d.id);
    // Three with the channel's key and one with the older key the config still binds to the PID.
    assert.equal(matching.length, 4);
    assert.ok(matching.includes('demo-oldkey-1'));
    const outcome = await demo.finished;
    assert.deepEqual(
      outcome.updated.map((u) => [u.id, u.version]).sort(),
      matching.map((id) => [id, demo!.release.embeddedVersion]).sort(),
    );
    assert.equal(outcome.notOffered.length, 1);
    const [wrong] = outcome.notOffered;
    assert.equal(wrong!.id, 'demo-wrongkey-1');
    // The reason names the key the device reports and the keys that would be accepted.
    assert.match(wrong!.reason, /fw_key plug-key-2024-wrong/);
    assert.match(wrong!.reason, /bound: .*plug-key-2024/);
  });

  it('shows the server’s devices, finished sessions, the why-not record and console lines in the live view', async () => {
    assert.ok(demo, 'needs the demo from the test before');
    const view = demo.liveView;
    assert.equal(view.source.kind, 'embedded');
    assert.equal(view.source.url, demo.serverUrl);
    assert.ok(view.eventsReceived() > 0, 'the host received no server event');
    const updated = demo.devices.filter((x) => x.matching).map((x) => x.id);
    // Events reach the view in batches: wait until it shows every matching device on the new version.
    const shown = await viewUntil(view, 'every matching device on the new version and the why-not record', (d) =>
      updated.every((id) => d.devices.some((x) => x.id === id && x.version === demo!.release.embeddedVersion)) && d.notOffered.some((n) => n.deviceId === 'demo-wrongkey-1'),
    );
    assert.equal(shown.source, demo.serverUrl);
    assert.equal(shown.connection, 'live');
    assert.ok(shown.eventsApplied > 0);
    assert.ok(shown.consoleLines > 0, 'no device console line reached the view');
    const byId = new Map(shown.devices.map((d) => [d.id, d]));
    for (const d of demo.devices.filter((x) => x.matching)) assert.equal(byId.get(d.id)?.version, demo.release.embeddedVersion, d.id);
    // Last contact as the server recorded it (the devices' table shows it as "… s ago").
    for (const d of shown.devices) assert.match(d.lastSeen, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, d.id);
    // The wrong key is also flagged against the workspace config, beside what the server says.
    assert.match(byId.get('demo-wrongkey-1')?.mismatch.join(' ') ?? '', /fw_key plug-key-2024-wrong is not bound/);
    assert.ok(shown.notOffered.some((n) => n.deviceId === 'demo-wrongkey-1' && n.reason.includes('plug-key-2024-wrong')));
  });

  it('opens on the running embedded server from the command, and stops the demo on request', async () => {
    const view = await vscode.commands.executeCommand<LiveViewHandle>('ota.openLiveView');
    assert.equal(view.source.kind, 'embedded');
    assert.equal(view.source.url, demo!.serverUrl);
    // No secret on the handle: what serialises of it is exactly the source, and neither it nor what
    // the view shows holds a token-like string (the embedded token is 32 base64url characters; the
    // server's own ids and hashes are hex, so a long run that is not pure hex is a leak).
    const handle = JSON.parse(JSON.stringify(view)) as { source: Record<string, unknown> };
    assert.deepEqual(Object.keys(handle).sort(), ['source']);
    assert.deepEqual(Object.keys(handle.source).sort(), ['kind', 'name', 'url']);
    const tokenLike = (text: string): string[] => (text.match(/[A-Za-z0-9_-]{32,}/g) ?? []).filter((run) => !/^[0-9a-f]+$/i.test(run));
    assert.deepEqual(tokenLike(JSON.stringify(view) + JSON.stringify(await view.describe())), []);
    assert.equal(await vscode.commands.executeCommand<boolean>('ota.stopDemo'), true);
    assert.equal(await vscode.commands.executeCommand<boolean>('ota.stopDemo'), false);
  });

  it('follows the embedded server: stopped, the view says so; started again, it is live again', async () => {
    const view = demo!.liveView;
    assert.equal(await vscode.commands.executeCommand<boolean>('ota.stopServer'), true);
    // Stopped is a state of the server, not an error of the view (it offers Start).
    await viewUntil(view, 'the stopped state', (d) => d.connection === 'stopped');
    await vscode.commands.executeCommand('ota.startServer');
    const live = await viewUntil(view, 'a live connection again', (d) => d.connection === 'live' && d.devices.length >= 5);
    assert.equal(live.source, demo!.serverUrl);
  });

  it('runs again with the same demo key from Secret Storage, the next label, and nothing key-like in the workspace', async () => {
    const again = await vscode.commands.executeCommand<DemoHandle | undefined>('ota.runDemo', 'update');
    assert.ok(again, 'the second OTA: Run Demo failed');
    assert.equal(again.release.keyId, demo!.release.keyId);
    assert.notEqual(again.release.label, demo!.release.label);
    const outcome = await again.finished;
    assert.ok(outcome.updated.every((u) => u.version === again.release.embeddedVersion));
    // Only the new deployment's why-not record stands: the first demo's deployment was cancelled.
    // Other suites' devices the server still knows may have why-nots of their own: count the demo's.
    const ours = (d: ViewDescription) => d.notOffered.filter((n) => again.devices.some((x) => x.id === n.deviceId));
    const shown = await viewUntil(again.liveView, 'one why-not record of the demo’s devices', (d) => ours(d).length === 1);
    assert.match(ours(shown)[0]!.reason, new RegExp(`deployment ${again.release.deploymentId}`));
    // Stopped first, so the demo's report stops waiting for devices and is written now.
    assert.equal(await vscode.commands.executeCommand<boolean>('ota.stopDemo'), true);
    const files = await fs.readdir(folder, { recursive: true, encoding: 'utf8' });
    for (const file of files) {
      const full = path.join(folder, file);
      // That report goes through a temporary file renamed into place, which may vanish under the scan.
      const text = await fs.readFile(full, 'latin1').catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT' || err.code === 'EISDIR') return undefined;
        throw err;
      });
      if (text !== undefined) assert.doesNotMatch(text, /PRIVATE KEY/, `${file} holds a private key`);
    }
  });
});
