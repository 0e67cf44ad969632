import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { OtaWorkbenchApi } from '../../src/extension/extension';
import type { CommandTarget } from '../../src/extension/commands/commandTarget';
import type { LiveViewHandle } from '../../src/extension/live/liveView';
import type { TreeNode } from '../../src/extension/workspaceTree';
import { HawkbitProvider } from '../../src/providers/hawkbit/hawkbitProvider';
import type { RolloutStatus } from '../../src/providers/provider';
import { HawkbitDouble } from '../doubles/hawkbit/hawkbitDouble';
import { eventually } from '../helpers/eventually';
import { extensionId, viewUntil } from './helpers/workbench';

/**
 * A workspace whose config names an Eclipse hawkBit server, played by the strict test double on
 * 127.0.0.1 (hawkBit itself cannot run here; credentials go only over HTTPS or to loopback): the
 * server's row in the OTA view, the live view following it by polling, and a rollout made with
 * the editor's command.
 */
describe('hawkBit server in the editor (test double)', function () {
  this.timeout(90_000);
  const folderUri = vscode.workspace.workspaceFolders![0]!.uri;
  const localFile = path.join(folderUri.fsPath, '.vscode', 'ota.local.json');
  // A documented OTA_ name: the extension sends it without asking (any other name needs a yes).
  const passwordEnv = 'OTA_ITEST_HAWKBIT_PASSWORD';
  const target: CommandTarget = { folder: folderUri, server: 'cloud' };
  let double: HawkbitDouble;
  let scratch: string;
  let provider: HawkbitProvider;
  let api: OtaWorkbenchApi;

  before(async () => {
    scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'ota-hawkbit-'));
    double = await new HawkbitDouble('current', { admin: { password: 'hb-secret' } }).start();
    double.addTarget('plug-hb-1', { pid: 'plug01', fw_key: 'plug-key-2024', channel: 'main', version: '1.0.0' });
    double.addTarget('plug-hb-2', { pid: 'plug01', fw_key: 'plug-key-2019', channel: 'main', version: '0.9.0' });
    process.env[passwordEnv] = 'hb-secret';
    await fs.writeFile(
      localFile,
      JSON.stringify({
        servers: [{ type: 'hawkbit', name: 'cloud', url: double.url, tenant: 'DEFAULT', username: 'admin', credential: `\${env:${passwordEnv}}`, pollIntervalSeconds: 1 }],
      }),
    );
    // A release and a deployment made on the server as `ota push --server cloud --deploy` would.
    provider = new HawkbitProvider({ name: 'cloud', url: double.url, username: 'admin', credential: 'hb-secret', credentialRef: `\${env:${passwordEnv}}` }, { products: [{ pid: 'plug01', keys: ['plug-key-2024', 'plug-key-2023'] }] });
    const image = path.join(scratch, 'smart-plug.bin');
    await fs.writeFile(image, Buffer.alloc(8192, 3));
    const release = await provider.publish({ file: image, pid: 'plug01', fwKey: 'plug-key-2024', channel: 'main', label: '2.0.0' });
    await provider.deploy({ releaseId: release.id, pid: 'plug01', fwKey: 'plug-key-2024', channel: 'main', boundKeys: ['plug-key-2023'], type: 'forced' });
    double.report('plug-hb-1', 'running', 'Installing smart-plug.bin');
    api = (await vscode.extensions.getExtension<OtaWorkbenchApi>(extensionId)!.activate());
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await fs.rm(localFile, { force: true });
    delete process.env[passwordEnv];
    await double?.close();
    await fs.rm(scratch, { recursive: true, force: true });
  });

  it('lists the double’s targets, with the why-not of the one with an unbound key, and an action’s progress in the OTA view', async () => {
    const cloud = await serverRow('cloud');
    assert.equal(cloud.contextValue, 'ota.server.hawkbit');
    const groups = await api.tree.getChildren(cloud);
    assert.deepEqual(groups.map((g) => g.label), ['Releases', 'Deployments', 'Devices', 'Rollouts'], JSON.stringify(groups.map((g) => [g.label, g.description])));
    const [releases, deployments, devices] = groups;
    assert.equal(releases!.children!.length, 1);
    assert.match(releases!.children![0]!.label, /2\.0\.0/);
    assert.deepEqual(devices!.children!.map((d) => d.label).sort(), ['plug-hb-1', 'plug-hb-2']);
    const stale = devices!.children!.find((d) => d.label === 'plug-hb-2')!;
    assert.match(JSON.stringify(stale.children), /plug-key-2019/, 'the device with an unbound key says why it was not offered the release');
    // The action in progress: the device row says what its session does, the deployment row how far it got.
    const installing = devices!.children!.find((d) => d.label === 'plug-hb-1')!;
    assert.match(installing.description ?? '', /v1\.0\.0 · .* · installing/);
    assert.match(deployments!.children![0]!.description ?? '', /^0\/\d+ updated/);
  });

  it('follows the deployment in the live view, polling the server while the view is open', async () => {
    const view = await vscode.commands.executeCommand<LiveViewHandle>('ota.openLiveView', target);
    assert.ok(view, 'OTA: Open Live View failed (its error is in the OTA Workbench log)');
    assert.deepEqual(view.source, { kind: 'remote', name: 'cloud', url: double.url });
    await webviewLoaded(view);
    const first = await viewUntil(view, 'the hawkBit targets and the installing action', (d) => d.connection === 'live' && d.devices.length === 2 && d.sessions.some((s) => s.state === 'installing'));
    assert.ok(first.notOffered.some((n) => n.deviceId === 'plug-hb-2'), `the why-not of plug-hb-2 is shown: ${JSON.stringify(first.notOffered)}`);
    double.report('plug-hb-1', 'finished', 'Installed 2.0.0');
    await viewUntil(view, 'the action finished (a poll later)', (d) => d.sessions.some((s) => s.deviceId === 'plug-hb-1' && s.state === 'succeeded' && s.progress === 1));
    assert.ok(view.eventsReceived() > 0, 'the change came as an event from a poll');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // The OTA view's server row polls too while it is on screen (the test before expanded it):
    // with the sidebar on the Explorer only the live view could still be asking.
    await vscode.commands.executeCommand('workbench.view.extension.ota');
    await vscode.commands.executeCommand('workbench.view.explorer');
    // Closed: the polling stops with the view.
    await new Promise((r) => setTimeout(r, 300));
    const asked = double.requests.length;
    await new Promise((r) => setTimeout(r, 2500));
    assert.equal(double.requests.length, asked, 'the closed live view still polls the server');
  });

  it('creates a rollout from the command, through its steps, that reaches running on the server; pause and resume act on it', async () => {
    const created = vscode.commands.executeCommand<RolloutStatus | undefined>('ota.createRollout', target);
    // Each step offers its default first (the one release, a free name, one group, 50 %, 50 %, start now): Enter takes it.
    const status = await answerDefaults(created);
    assert.ok(status, 'OTA: Create Rollout gave no rollout (its error is in the OTA Workbench log)');
    assert.equal(status.state, 'running');
    assert.equal(status.name, 'main-2.0.0');
    const onDouble = [...double.state.rollouts.values()].find((r) => r.name === 'main-2.0.0');
    assert.equal(onDouble?.status, 'running');
    assert.deepEqual(onDouble.groups.map((g) => g.targets), [['plug-hb-1']], 'the group holds the device with the release’s key and channel only');
    const rollout: CommandTarget = { ...target, rollout: status.id };
    assert.equal((await vscode.commands.executeCommand<RolloutStatus>('ota.pauseRollout', rollout))?.state, 'paused');
    assert.equal(onDouble.status, 'paused');
    assert.equal((await vscode.commands.executeCommand<RolloutStatus>('ota.resumeRollout', rollout))?.state, 'running');
    // The server row follows the server again once the view is on screen (a poll later).
    await vscode.commands.executeCommand('workbench.view.extension.ota');
    const row = await eventually(async () => (await api.tree.getChildren(await serverRow('cloud'))).find((g) => g.label === 'Rollouts')?.children?.[0], 15_000, 'the rollout row under the hawkBit server');
    assert.equal(row.contextValue, 'ota.rollout.running');
  });

  /** The OTA view's row of a configured server. */
  async function serverRow(name: string): Promise<TreeNode> {
    const [folder] = await api.tree.getChildren();
    const servers = folder?.children?.find((g) => g.label === 'Servers');
    const row = servers?.children?.find((s) => s.label === name);
    assert.ok(row, `no server row ${name}: ${JSON.stringify(servers?.children?.map((s) => s.label))}`);
    return row;
  }
});

/**
 * Waits for the webview's script to answer at all. This suite may open the session's first
 * webview, whose first load (code-server registers the webview service worker) can outlast one
 * 10 s `describe`; later requests are answered at once.
 */
async function webviewLoaded(view: LiveViewHandle): Promise<void> {
  const started = Date.now();
  for (;;) {
    try {
      await view.describe();
      console.log(`live view: the webview first answered after ${Date.now() - started} ms`);
      return;
    } catch (err) {
      if (!/did not answer/.test(String(err)) || Date.now() - started > 45_000) throw err;
    }
  }
}

/** Presses Enter in whatever quick input the command shows until the command finishes. */
async function answerDefaults<T>(command: Thenable<T>): Promise<T> {
  let done = false;
  const result = Promise.resolve(command).finally(() => (done = true));
  const deadline = Date.now() + 60_000;
  while (!done && Date.now() < deadline) {
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await Promise.race([result.catch(() => undefined), new Promise((r) => setTimeout(r, 300))]);
  }
  if (!done) {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.fail('the command was still asking after 60 s');
  }
  return result;
}
