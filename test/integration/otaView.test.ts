import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { createRelease } from '../../src/core/release/createRelease';
import { silentLogger } from '../../src/core/logger';
import { loadSigningKey } from '../../src/core/signing/loadKey';
import { requireWorkspaceConfig } from '../../src/core/config/loader';
import { inspectImage } from '../../src/core/image/inspectImage';
import { embeddedVersionOf } from '../../src/core/verify/verifyFirmware';
import type { OtaProvider } from '../../src/providers/ota/otaProvider';
import { SimulatedDevice } from '../../src/device/simulator/simulatedDevice';
import type { WorkspaceTree } from '../../src/extension/workspaceTree';
import { freePort } from './helpers/workbench';
import { otaTree, render, rowAt, treeRows, treeUntil, type Row } from './helpers/treeRows';

const repoRoot = path.resolve(__dirname, '..', '..', '..');

describe('OTA view: the pipeline per folder', function () {
  this.timeout(180_000);
  const folderUri = vscode.workspace.workspaceFolders![0]!.uri;
  const folder = folderUri.fsPath;
  const folderName = vscode.workspace.workspaceFolders![0]!.name;
  const sharedFile = path.join(folder, '.vscode', 'ota.json');
  const localFile = path.join(folder, '.vscode', 'ota.local.json');
  const artifact = path.join(folder, 'build', 'smart-plug.bin');
  const fixtureImage = path.join(repoRoot, 'test', 'fixtures', 'esp-idf', 'esp_idf_blink_esp32s2.bin');
  let tree: WorkspaceTree;
  let sharedText: string;
  let embedded: string | undefined;
  const devices: AbortController[] = [];
  let scratch: string;

  const refreshed = async (): Promise<Row[]> => {
    await vscode.commands.executeCommand('ota.refresh');
    return treeRows(tree);
  };
  const channelRow = (rows: Row[]) => rowAt(rows, folderName, 'Channels', 'main');

  before(async () => {
    tree = await otaTree();
    sharedText = await fs.readFile(sharedFile, 'utf8');
    scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'ota-view-'));
    await fs.writeFile(localFile, JSON.stringify({ servers: [{ type: 'local', name: 'local', host: '127.0.0.1', port: await freePort() }] }));
    embedded = embeddedVersionOf(inspectImage(await fs.readFile(fixtureImage), fixtureImage));
  });

  after(async () => {
    for (const d of devices) d.abort();
    await vscode.commands.executeCommand('ota.stopServer');
    await fs.writeFile(sharedFile, sharedText);
    await fs.rm(localFile, { force: true });
    await fs.rm(path.join(folder, 'build'), { recursive: true, force: true });
    await fs.rm(path.join(folder, '.ota'), { recursive: true, force: true });
    await fs.rm(scratch, { recursive: true, force: true });
    await vscode.commands.executeCommand('ota.refresh');
  });

  it('shows a channel that is not built, then built with its embedded version and next label, then stale after a source edit', async () => {
    await fs.rm(path.join(folder, 'build'), { recursive: true, force: true });
    let channel = channelRow(await refreshed());
    assert.ok(channel, render(await treeRows(tree)));
    assert.equal(channel.contextValue, 'ota.channel');
    assert.match(channel.description, /^not built/);
    assert.deepEqual(channel.node.target?.channel, 'main');

    await fs.mkdir(path.dirname(artifact), { recursive: true });
    await fs.copyFile(fixtureImage, artifact);
    // The sources are older than the build.
    const past = new Date(Date.now() - 3600_000);
    for (const f of ['CMakeLists.txt', 'main/main.c', 'main/CMakeLists.txt', 'sdkconfig.defaults']) await fs.utimes(path.join(folder, f), past, past);
    channel = channelRow(await refreshed())!;
    assert.equal(channel.contextValue, 'ota.channel.built');
    assert.equal(channel.description, `built v${embedded} · next ${embedded}`);
    assert.deepEqual(channel.children.map((c) => c.label), ['artifact', 'embedded version', 'next label']);

    const future = new Date(Date.now() + 60_000);
    await fs.utimes(path.join(folder, 'main', 'main.c'), future, future);
    channel = channelRow(await refreshed())!;
    assert.equal(channel.description, `built v${embedded} · next ${embedded} · stale`);
    assert.match(rowAt(channel.children, 'stale')!.description, /^main\/main\.c is newer than the artifact/);
  });

  it('lists a release made in the workspace with its label, embedded version, signing key and the test-key warning', async () => {
    const loaded = await requireWorkspaceConfig(folder);
    const pem = await fs.readFile(path.join(repoRoot, 'test', 'fixtures', 'mcuboot', 'root-ed25519.pem'), 'utf8');
    const made = await createRelease({
      channel: loaded.config.channels[0]!,
      folder,
      releasesRoot: path.join(folder, '.ota', 'releases'),
      mode: { kind: 'release' },
      restamp: false,
      label: '1.2.0',
      build: false,
      key: loadSigningKey({ label: 'root-ed25519.pem', pem }),
      production: false,
      buildOptions: { env: process.env, log: silentLogger },
      log: silentLogger,
    });
    const rows = await refreshed();
    const release = rowAt(rows, folderName, 'Releases', 'main 1.2.0');
    assert.ok(release, render(rows));
    assert.equal(release.contextValue, 'ota.release');
    assert.equal(release.description, `embedded ${embedded} · key ${made.manifest.keyId.slice(0, 8)} · TEST KEY`);
    assert.equal(release.node.target?.release?.fsPath, path.join(made.dir, 'manifest.json'));
    assert.equal(await vscode.commands.executeCommand<vscode.Uri>('ota.revealRelease', release.node).then((u) => u?.fsPath), path.join(made.dir, 'manifest.json'));
  });

  it('shows the stopped local server, then the running one with live releases, deployments and devices from its event stream', async () => {
    let server = rowAt(await refreshed(), folderName, 'Servers', 'local')!;
    assert.equal(server.contextValue, 'ota.server.local.stopped');
    assert.match(server.description, /^stopped/);
    const info = await vscode.commands.executeCommand<{ url: string }>('ota.startServer');
    let rows = await treeUntil(tree, 'the running local server', (r) => rowAt(r, folderName, 'Servers', 'local')?.contextValue === 'ota.server.local.running');
    server = rowAt(rows, folderName, 'Servers', 'local')!;
    assert.equal(server.description, `running · ${info.url}`);
    assert.deepEqual(server.children.map((c) => c.label), ['Releases', 'Deployments', 'Devices', 'Rollouts']);
    // The server's data outlives a run (other suites may have used it): count from what it holds now.
    const releasesBefore = Number(server.children[0]!.description);
    assert.equal(await vscode.commands.executeCommand('ota.copyServerUrl', server.node), info.url);
    assert.equal(await vscode.env.clipboard.readText(), info.url);

    // Deployments other suites left active would reach these devices first.
    const provider = (await tree.providerFor(folderUri, 'local')) as OtaProvider;
    for (const d of (await provider.status()).deployments) if (d.state === 'active') await provider.client.cancelDeployment(d.id);

    // Two simulated devices: one with the channel's key, one flashed with a key nobody bound.
    const device = (id: string, fwKey: string) => {
      const abort = new AbortController();
      devices.push(abort);
      void new SimulatedDevice({ id, server: info.url, pid: 'plug01', fwKey, channel: 'main', dir: path.join(scratch, id), version: '1.0.0', pollIntervalMs: 500, retryMs: 500, rebootMs: 300, installMs: 200, selfTestMs: 100 }).run(abort.signal);
    };
    device('view-good', 'plug-key-2024');
    device('view-oldfleet', 'plug-key-2019');
    await treeUntil(tree, 'both devices online with version 1.0.0', (r) => {
      const list = (rowAt(r, folderName, 'Servers', 'local', 'Devices')?.children ?? []).filter((d) => d.label.startsWith('view-'));
      return list.length === 2 && list.every((d) => /^v1\.0\.0 · online/.test(d.description));
    });

    const published = await provider.publish({ file: artifact, pid: 'plug01', fwKey: 'plug-key-2024', channel: 'main', label: '9.8.7' });
    const deployed = await provider.deploy({ releaseId: published.id, pid: 'plug01', fwKey: 'plug-key-2024', channel: 'main', type: 'forced' });
    const deploymentRow = (r: Row[]) => rowAt(r, folderName, 'Servers', 'local', 'Deployments')?.children.find((d) => d.node.id?.endsWith(`/deployment/${deployed.id}`));
    rows = await treeUntil(tree, 'the release, the deployment, the updated device and the why-not row', (r) => {
      const live = rowAt(r, folderName, 'Servers', 'local');
      const good = rowAt(live?.children ?? [], 'Devices', 'view-good');
      const old = rowAt(live?.children ?? [], 'Devices', 'view-oldfleet');
      return rowAt(live?.children ?? [], 'Releases')?.description === String(releasesBefore + 1) && /updated$/.test(good?.description ?? '') && old?.children[0]?.contextValue === 'ota.whyNot';
    });
    const live = rowAt(rows, folderName, 'Servers', 'local')!;
    assert.match(deploymentRow(rows)!.description, /^1\/2 updated/);
    const whyNot = rowAt(live.children, 'Devices', 'view-oldfleet')!.children[0]!;
    assert.match(whyNot.description, /plug-key-2019/);
    assert.deepEqual(whyNot.node.bind, { pid: 'plug01', firmwareKey: 'plug-key-2019', deviceId: 'view-oldfleet', reason: whyNot.description });

    // The row's click binds the key (config edit + the server), and the device's next poll is offered the update.
    const click = whyNot.item.command!;
    assert.equal(click.command, 'ota.bindFirmwareKey');
    const result = await vscode.commands.executeCommand<{ edited: boolean; boundOnServer?: string }>(click.command, ...(click.arguments ?? []));
    assert.deepEqual(result, { pid: 'plug01', firmwareKey: 'plug-key-2019', edited: true, boundOnServer: 'local' });
    assert.match(await fs.readFile(sharedFile, 'utf8'), /"firmwareKeys": \["plug-key-2024", "plug-key-2023", "plug-key-2019"\]/);
    rows = await treeUntil(tree, 'the old-fleet device updated after the bind', (r) => {
      const old = rowAt(r, folderName, 'Servers', 'local', 'Devices', 'view-oldfleet');
      return /updated$/.test(old?.description ?? '') && old?.children.length === 0;
    });
    assert.match(deploymentRow(rows)!.description, /^2\/2 updated/);
    assert.ok(rowAt(rows, folderName, 'Products', 'plug01', 'plug-key-2019'), render(rows));
    // Leave no forced deployment behind for the next suite's devices.
    await provider.client.cancelDeployment(deployed.id);
  });

  it('shows a staged rollout with its groups, follows its events, and its row is what Pause and Resume act on', async () => {
    const provider = (await tree.providerFor(folderUri, 'local')) as OtaProvider;
    const published = await provider.publish({ file: artifact, pid: 'plug01', fwKey: 'plug-key-2024', channel: 'main', label: '9.8.8' });
    const created = await provider.rollouts.create({ name: 'view-staged', releaseId: published.id, devices: ['view-good', 'view-oldfleet'], groups: 2, advance: 'approve' });
    const rolloutRow = (r: Row[]) => rowAt(r, folderName, 'Servers', 'local', 'Rollouts')?.children.find((x) => x.node.id?.endsWith(`/rollout/${created.id}`));
    let rows = await treeUntil(tree, 'the new rollout, ready', (r) => rolloutRow(r)?.contextValue === 'ota.rollout');
    let row = rolloutRow(rows)!;
    assert.deepEqual({ ...row.node.target, folder: row.node.target?.folder?.toString() }, { folder: folderUri.toString(), server: 'local', rollout: created.id });
    assert.deepEqual(row.children.map((g) => g.description), ['0/1 succeeded · scheduled', '0/1 succeeded · scheduled']);

    await provider.rollouts.start(created.id);
    // The first group's device updates; the second waits for an approve, so the rollout stays under way.
    rows = await treeUntil(tree, 'the first group succeeded from the event stream', (r) => rolloutRow(r)?.children[0]?.description === '1/1 succeeded · succeeded');
    row = rolloutRow(rows)!;
    assert.equal(row.contextValue, 'ota.rollout.running');
    assert.match(row.description, /^waiting · 1\/2 succeeded/);

    await vscode.commands.executeCommand('ota.pauseRollout', row.node);
    rows = await treeUntil(tree, 'the rollout paused', (r) => rolloutRow(r)?.contextValue === 'ota.rollout.paused');
    assert.match(rolloutRow(rows)!.description, /^paused/);
    await vscode.commands.executeCommand('ota.resumeRollout', rolloutRow(rows)!.node);
    await treeUntil(tree, 'the rollout under way again', (r) => rolloutRow(r)?.contextValue === 'ota.rollout.running');
    await provider.rollouts.cancel(created.id);
  });

  it('keeps the last good tree with the problem row on top when the config breaks', async () => {
    const good = await fs.readFile(sharedFile, 'utf8');
    await fs.writeFile(sharedFile, good.replace('"format": "esp-idf"', '"format": "elf"'));
    try {
      const rows = await refreshed();
      const top = rowAt(rows, folderName)!;
      assert.match(top.children[0]!.label, /^1 problem in the config$/);
      assert.match(top.children[0]!.description, /ota\.json:\d+: .*elf/);
      assert.deepEqual(top.children.slice(1).map((c) => c.label), ['Channels', 'Releases', 'Servers', 'Devices', 'Products']);
      assert.ok(channelRow(rows), render(rows));
    } finally {
      await fs.writeFile(sharedFile, good);
    }
    const rows = await refreshed();
    assert.equal(rowAt(rows, folderName)!.children[0]!.label, 'Channels');
  });
});
