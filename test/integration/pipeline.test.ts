import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SimulatedDevice } from '../../src/device/simulator/simulatedDevice';
import type { BumpResult } from '../../src/core/version/channelVersion';
import type { CreatedRelease } from '../../src/core/release/createRelease';
import type { BuildRun } from '../../src/extension/firmware/buildTask';
import type { DeployOutcome } from '../../src/extension/commands/deployRelease';
import type { PushOutcome } from '../../src/extension/commands/pushRelease';
import type { LiveViewHandle } from '../../src/extension/live/liveView';
import type { ViewDescription } from '../../webview/protocol';
import { freePort } from './helpers/workbench';
import { otaTree } from './helpers/treeRows';
import type { OtaProvider } from '../../src/providers/ota/otaProvider';

const repoRoot = path.resolve(__dirname, '..', '..', '..');

/**
 * Runs a command the way a person does from a tree row: the row's target goes in, and every
 * question the command still asks is answered with Enter (the first / pre-filled choice), as
 * someone accepting the suggestions would. Resolves with what the command returned.
 */
async function runAccepting<T>(command: string, ...args: unknown[]): Promise<T> {
  let settled = false;
  const result = vscode.commands.executeCommand<T>(command, ...args).then(
    (value) => {
      settled = true;
      return value;
    },
    (err: unknown) => {
      settled = true;
      throw err;
    },
  );
  void (async () => {
    while (!settled) {
      await new Promise((r) => setTimeout(r, 400));
      if (!settled) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    }
  })();
  return result;
}

/** Asks the live view what it shows until `done` holds; a busy host's slow answer is asked again, not fatal. */
async function liveUntil(view: LiveViewHandle, what: string, done: (d: ViewDescription) => boolean): Promise<ViewDescription> {
  const deadline = Date.now() + 60_000;
  let last: ViewDescription | undefined;
  let error: unknown;
  while (Date.now() < deadline) {
    try {
      last = await view.describe();
      if (done(last)) return last;
    } catch (err) {
      error = err;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  assert.fail(`the live view never showed ${what}; it showed ${JSON.stringify(last)}${error ? ` (last error: ${String(error)})` : ''}`);
}

/** Waits (on change events, at most 30 s) until the Problems entries of `uri` satisfy `done`. */
async function problemsUntil(uri: vscode.Uri, what: string, done: (list: vscode.Diagnostic[]) => boolean): Promise<vscode.Diagnostic[]> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const list = vscode.languages.getDiagnostics(uri);
    if (done(list)) return list;
    await new Promise((r) => setTimeout(r, 250));
  }
  const everywhere = vscode.languages.getDiagnostics().map(([u, list]) => [u.toString(), list.map((d) => `${d.source}: ${d.message}`)]);
  assert.fail(`Problems never showed ${what} for ${uri.toString()}; Problems holds ${JSON.stringify(everywhere)}`);
}

describe('pipeline commands: build, bump, release, push, deploy', function () {
  this.timeout(240_000);
  const folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
  const target = { folder: vscode.Uri.file(folder), channel: 'main' };
  const localFile = path.join(folder, '.vscode', 'ota.local.json');
  const versionFile = path.join(folder, 'version.txt');
  const failFlag = path.join(folder, 'build', 'FAIL_WITH_COMPILER_ERROR');
  const mainC = vscode.Uri.file(path.join(folder, 'main', 'main.c'));
  let deviceDir: string;
  let device: SimulatedDevice | undefined;
  const stopDevice = new AbortController();
  let deviceRun: Promise<void> | undefined;

  before(async () => {
    // This person's overrides: a free port, and the channel built by the stand-in toolchain with
    // its version in version.txt (ESP-IDF's rule) and a signing key kept outside the workspace.
    const fakeIdf = path.join(repoRoot, 'out', 'test', 'integration', 'fixtures', 'fakeIdf.js');
    await fs.writeFile(
      localFile,
      JSON.stringify({
        servers: [{ type: 'local', name: 'local', host: '127.0.0.1', port: await freePort() }],
        channels: [
          {
            pid: 'plug01',
            name: 'main',
            build: { command: `"${process.execPath}" "${fakeIdf}"` },
            version: { source: 'file', file: 'version.txt', regex: '^(\\d+\\.\\d+\\.\\d+)' },
            signing: { key: path.join(repoRoot, 'test', 'fixtures', 'mcuboot', 'root-ed25519.pem'), format: 'manifest' },
          },
        ],
      }),
    );
    await fs.writeFile(versionFile, '1.0.0\n');
    deviceDir = await fs.mkdtemp(path.join(os.tmpdir(), 'ota-pipeline-device-'));
  });

  after(async () => {
    stopDevice.abort();
    await deviceRun?.catch(() => undefined);
    await device?.console.close();
    await vscode.commands.executeCommand('ota.stopServer');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const p of [localFile, versionFile, path.join(folder, 'build'), path.join(folder, '.ota')]) await fs.rm(p, { recursive: true, force: true });
    await fs.rm(deviceDir, { recursive: true, force: true });
  });

  it('Build puts a compiler error into Problems and says it in one message', async () => {
    await fs.mkdir(path.dirname(failFlag), { recursive: true });
    await fs.writeFile(failFlag, "main/main.c:5:3: error: 'gpio_num' undeclared (first use in this function)\n");
    const run = await Promise.resolve(vscode.commands.executeCommand<BuildRun>('ota.buildFirmware', target)).finally(() => fs.rm(failFlag));
    assert.ok(run && !run.ok, 'the build should have failed');
    assert.equal(run.exitCode, 1);
    assert.equal(run.failure.compilerErrors, 1);
    assert.match(run.failure.cause ?? '', /gpio_num/);
    const [problem] = await problemsUntil(mainC, 'the compiler error', (list) => list.some((d) => /gpio_num/.test(d.message)));
    assert.equal(problem!.range.start.line, 4);
    assert.equal(problem!.range.start.character, 2);
    assert.equal(problem!.severity, vscode.DiagnosticSeverity.Error);
  });

  it('Bump Version writes the next patch into version.txt (Enter on the suggested patch)', async () => {
    const bumped = await runAccepting<BumpResult>('ota.bumpVersion', target);
    assert.deepEqual([bumped.previous, bumped.next], ['1.0.0', '1.0.1']);
    assert.equal((await fs.readFile(versionFile, 'utf8')).trim(), '1.0.1');
  });

  it('Build succeeds, clears the error from Problems and writes an image carrying the new version', async () => {
    const run = await vscode.commands.executeCommand<BuildRun>('ota.buildFirmware', target);
    assert.ok(run?.ok, `the build failed: ${run && !run.ok ? run.failure.cause : 'no result'}`);
    assert.equal(run.artifact, path.join(folder, 'build', 'smart-plug.bin'));
    await problemsUntil(mainC, 'no error once the build passes', (list) => !list.some((d) => /gpio_num/.test(d.message)));
  });

  it('Create Release uses the fresh artifact and the label pre-filled from its embedded version', async () => {
    const release = await runAccepting<CreatedRelease>('ota.createRelease', target);
    assert.ok(release, 'Create Release failed (see the OTA Workbench log)');
    assert.equal(release.manifest.label, '1.0.1');
    assert.equal(release.manifest.embeddedVersion, '1.0.1');
    assert.equal(release.source, path.join(folder, 'build', 'smart-plug.bin'));
    assert.equal(release.prediction.refused, false);
  });

  it('Push sends the release to the embedded server; Deploy offers it to a simulated device, which installs it', async () => {
    const server = await vscode.commands.executeCommand<{ url: string }>('ota.startServer');
    device = new SimulatedDevice({
      id: 'pipeline-plug-1',
      server: server.url,
      pid: 'plug01',
      fwKey: 'plug-key-2024',
      channel: 'main',
      dir: deviceDir,
      version: '1.0.0',
      behaviour: 'esp-idf',
      pollIntervalMs: 300,
      rebootMs: 200,
      installMs: 100,
      selfTestMs: 100,
      retryMs: 300,
    });
    deviceRun = device.run(stopDevice.signal);
    const view = await vscode.commands.executeCommand<LiveViewHandle>('ota.openLiveView');
    await liveUntil(view, 'the device on 1.0.0', (d) => d.devices.some((x) => x.id === 'pipeline-plug-1' && x.version === '1.0.0'));

    const releaseDir = path.join(folder, '.ota', 'releases', 'plug01', 'main', '1.0.1');
    const pushed = await runAccepting<PushOutcome>('ota.pushRelease', { folder: vscode.Uri.file(folder), release: vscode.Uri.file(releaseDir) });
    assert.ok(pushed, 'Push Release failed (see the OTA Workbench log)');
    assert.equal(pushed.release.label, '1.0.1');
    assert.equal(pushed.deployment, undefined, 'Enter on the first choice publishes only');

    const deployed = await runAccepting<DeployOutcome>('ota.deployRelease', { folder: vscode.Uri.file(folder), server: 'local' });
    assert.ok(deployed, 'Deploy Release failed (see the OTA Workbench log)');
    try {
      assert.equal(deployed.release.label, '1.0.1');
      assert.equal(deployed.devices, 'all matching');
      assert.equal(deployed.type, 'soft');

      // The server's event stream, as the live view shows it, reports the device on the new version.
      const shown = await liveUntil(view, 'the device on 1.0.1', (d) => d.devices.some((x) => x.id === 'pipeline-plug-1' && x.version === '1.0.1'));
      assert.ok(shown.sessions.some((s) => s.deviceId === 'pipeline-plug-1' && s.state === 'succeeded'));
      assert.equal(device.runningVersion, '1.0.1');
    } finally {
      // A deployment to every matching device outlives this suite on the embedded server's data:
      // the next suite's simulated devices of the same channel would be offered 1.0.1 first.
      const provider = (await (await otaTree()).providerFor(vscode.Uri.file(folder), 'local')) as OtaProvider;
      await provider.client.cancelDeployment(deployed.result.id);
    }
  });

  it('Stop Local Server says where it was; stopping again says nothing was running', async () => {
    assert.equal(await vscode.commands.executeCommand<boolean>('ota.stopServer'), true);
    assert.equal(await vscode.commands.executeCommand<boolean>('ota.stopServer'), false);
  });
});
