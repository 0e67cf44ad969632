import * as path from 'node:path';
import * as vscode from 'vscode';
import { requireWorkspaceConfig } from '../../core/config/loader';
import { OtaError, describeError } from '../../core/errors';
import { reportsRoot } from '../../core/plan/writeReport';
import { OtaProvider } from '../../providers/ota/otaProvider';
import { reportDeployment } from '../../providers/plan/stressRun';
import type { FinishedRun } from '../../providers/plan/stressRun';
import type { ExtensionServices } from '../context';
import type { DemoHandle } from '../demo/demoRunner';
import { copyDemoSetup as copySetup } from '../demo/demoSetup';
import { demoSigningKey } from '../demo/demoKey';
import { demoScenarios, scenarioKit } from '../demo/demoScenarios';
import { withCancellableProgress } from '../firmware/cancellableProgress';
import { showReport } from '../plan/reportPanel';

/**
 * "OTA: Run Demo": the scenario given (autostart, the live view and tests pass 'update'), else the
 * user picks one. Update is the live demo (it runs on; its report follows once every device has an
 * outcome); the others run to the end under a cancellable notification and open their report.
 */
export async function runDemo(services: ExtensionServices, arg?: unknown): Promise<DemoHandle | FinishedRun | undefined> {
  const scenario = typeof arg === 'string' ? demoScenarios.find((s) => s.id === arg) : await pickScenario();
  if (!scenario) {
    if (typeof arg === 'string') throw new OtaError(vscode.l10n.t('no demo scenario {0}', arg), { hint: demoScenarios.map((s) => s.id).join(', ') });
    return undefined;
  }
  if (scenario.id === 'update') {
    const handle = await withCancellableProgress(vscode.l10n.t('OTA demo'), (signal, onProgress) => services.demo.start(onProgress, signal));
    void reportLiveDemo(services, handle);
    return handle;
  }
  const run = scenario.run;
  if (!run) return undefined;
  try {
    const done = await withCancellableProgress(vscode.l10n.t('OTA demo: {0}', scenario.label), async (signal, onProgress) => {
      const kit = await scenarioKit(services, services.demo.ownStorage, signal, onProgress);
      try {
        return await run(kit);
      } finally {
        await kit.cancelLeftDeployments();
      }
    });
    services.log.info(`demo ${scenario.id}: report ${done.dir}`);
    await showReport(services, done.dir);
    return done;
  } catch (err) {
    services.log.error(`demo ${scenario.id} failed: ${describeError(err)}`);
    void vscode.window.showErrorMessage(vscode.l10n.t('Demo {0} failed: {1}', scenario.label, describeError(err)));
    return undefined;
  }
}

async function pickScenario() {
  const offered = demoScenarios.filter((s) => s.id === 'update' || s.run);
  return (await vscode.window.showQuickPick(offered.map((s) => ({ label: s.label, detail: s.detail, scenario: s })), { title: vscode.l10n.t('OTA: Run Demo'), placeHolder: vscode.l10n.t('Which scenario?') }))?.scenario;
}

/** The live demo's report: once every device has an outcome for its deployment (bounded), written and offered. */
async function reportLiveDemo(services: ExtensionServices, handle: DemoHandle): Promise<void> {
  try {
    const server = await services.server.start();
    const loaded = await requireWorkspaceConfig(handle.setup.folder);
    const channel = loaded.config.channels[0]!;
    const provider = new OtaProvider('local', server.url, server.token, server.caCertPem ? { ca: server.caCertPem } : {});
    const done = await reportDeployment(
      {
        channel,
        folder: handle.setup.folder,
        releasesRoot: path.join(handle.setup.folder, '.ota', 'releases'),
        reportsRoot: reportsRoot(handle.setup.folder),
        key: await demoSigningKey(services.secrets, services.log),
        production: false,
        provider,
        boundKeys: loaded.config.products.find((p) => p.pid === channel.pid)?.firmwareKeys ?? [channel.firmwareKey],
        waitFor: handle.devices.map((d) => d.id),
        cycleTimeoutMs: 300_000,
        pollMs: 1000,
        parameters: { scenario: 'update', devices: handle.devices.map((d) => d.id) },
        // A stopped demo's devices report nothing more: the report is written with what it has.
        signal: AbortSignal.any([AbortSignal.timeout(310_000), handle.stopped]),
        log: services.log,
      },
      { releaseId: handle.release.id, deploymentId: handle.release.deploymentId, label: handle.release.label, embeddedVersion: handle.release.embeddedVersion },
    );
    const open = vscode.l10n.t('Show Report');
    if ((await vscode.window.showInformationMessage(vscode.l10n.t('Demo report {0} is ready.', done.report.id), open)) === open) await showReport(services, done.dir);
  } catch (err) {
    services.log.warn(`demo report: ${describeError(err)}`);
  }
}

export async function stopDemo(services: ExtensionServices): Promise<boolean> {
  const stopped = await services.demo.stop();
  void vscode.window.showInformationMessage(
    stopped ? vscode.l10n.t('Stopped the OTA demo: its simulated devices are off (the local server keeps running).') : vscode.l10n.t('No demo is running.'),
  );
  return stopped;
}

/**
 * "OTA: Copy the Demo Setup into This Workspace": the demo's config and image, for someone who
 * wants to try the real commands (Create Release, Push…) on them. The only demo step that writes
 * into a workspace, and only when asked.
 */
export async function copyDemoSetup(services: ExtensionServices, target?: unknown): Promise<string[] | undefined> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  const folder =
    target instanceof vscode.Uri
      ? target.fsPath
      : folders.length <= 1
        ? folders[0]?.uri.fsPath
        : (await vscode.window.showWorkspaceFolderPick({ placeHolder: vscode.l10n.t('Copy the demo setup into which folder?') }))?.uri.fsPath;
  if (!folder) {
    if (folders.length === 0) throw new OtaError('no folder is open to copy the demo setup into', { hint: 'open a folder (File > Open Folder…), then run this command again' });
    return undefined;
  }
  const written = await copySetup(path.join(services.demo.ownStorage, 'setup'), folder);
  services.log.info(`demo setup copied into ${folder}: ${written.join(', ')}`);
  const open = vscode.l10n.t('Open Config');
  const choice = await vscode.window.showInformationMessage(vscode.l10n.t('Copied the demo setup into {0}: {1}.', path.basename(folder), written.join(', ')), open);
  if (choice === open) await vscode.window.showTextDocument(vscode.Uri.file(path.join(folder, '.vscode', 'ota.json')));
  return written;
}
