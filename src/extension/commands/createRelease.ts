import * as vscode from 'vscode';
import { join } from 'node:path';
import { requireWorkspaceConfig } from '../../core/config/loader';
import type { Channel } from '../../core/config/model';
import { resolveInFolder } from '../../core/config/paths';
import { OtaError } from '../../core/errors';
import { createRelease as createReleaseCore } from '../../core/release/createRelease';
import type { CreatedRelease, ReleaseMode } from '../../core/release/createRelease';
import { channelReleaseDir, listReleases } from '../../core/release/releaseStore';
import { readKeySource } from '../../core/signing/keySource';
import type { SigningKey } from '../../core/signing/loadKey';
import { testKeyName } from '../../core/signing/testKeys';
import type { ExtensionServices } from '../context';
import { withCancellableProgress } from '../firmware/cancellableProgress';
import { loadPem, pickSigningKey } from '../firmware/signingKeyStore';

async function pickFolder(): Promise<string | undefined> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  if (folders.length <= 1) return folders[0]?.uri.fsPath;
  return (await vscode.window.showWorkspaceFolderPick({ placeHolder: vscode.l10n.t('Workspace folder with the OTA config') }))?.uri.fsPath;
}

/** The channel's configured key from SecretStorage / env / file, else one the user picks. */
async function channelKey(services: ExtensionServices, channel: Channel, folder: string): Promise<SigningKey | undefined> {
  const signing = channel.signing;
  if (signing?.keyRef) return loadPem(signing.keyRef.text, await services.secrets.resolve(signing.keyRef, `channel ${channel.name} signing.key`));
  if (signing) return loadPem(signing.key, (await readKeySource(resolveInFolder(folder, signing.key), process.env, folder)).pem);
  return pickSigningKey(services);
}

/**
 * Build output → signed release + manifest, or a stress / rollback release of earlier bytes,
 * as `ota release create` does; build output goes to the OTA log, cancellation stops the build.
 */
export async function createRelease(services: ExtensionServices): Promise<CreatedRelease | undefined> {
  const folder = await pickFolder();
  if (!folder) throw new OtaError('open a folder with .vscode/ota.json first', { code: 'no-config' });
  const loaded = await requireWorkspaceConfig(folder);
  const channelItem = await vscode.window.showQuickPick(
    loaded.config.channels.map((channel) => ({ label: channel.name, description: vscode.l10n.t('pid {0}, {1}', channel.pid, channel.format), detail: vscode.l10n.t('firmware key {0}', channel.firmwareKey), channel })),
    { placeHolder: vscode.l10n.t('Channel to release') },
  );
  if (!channelItem) return undefined;
  const channel = channelItem.channel;
  const releasesRoot = join(folder, '.ota', 'releases');
  const releases = await listReleases(channelReleaseDir(releasesRoot, channel.pid, channel.name));
  const modeItem = await vscode.window.showQuickPick(
    [
      { label: vscode.l10n.t('Release'), detail: vscode.l10n.t('build, sign and describe the current firmware'), progress: vscode.l10n.t('Creating a release of {0}', channel.name), mode: { kind: 'release' } as ReleaseMode },
      ...(releases.length ? [{ label: vscode.l10n.t('Stress test'), detail: vscode.l10n.t("release {0}'s image again under the next label", releases.at(-1)!.manifest.label), progress: vscode.l10n.t('Creating a stress test of {0}', channel.name), mode: { kind: 'stress' } as ReleaseMode }] : []),
      ...releases.slice(0, -1).map((r) => ({ label: vscode.l10n.t('Rollback to {0}', r.manifest.label), detail: vscode.l10n.t("release {0}'s image (embedded {1}) under a higher label", r.manifest.label, r.manifest.embeddedVersion), progress: vscode.l10n.t('Creating a rollback to {0} of {1}', r.manifest.label, channel.name), mode: { kind: 'rollback', from: r.manifest.label } as ReleaseMode })),
    ],
    { placeHolder: vscode.l10n.t('What kind of release?') },
  );
  if (!modeItem) return undefined;
  const restampItem = await vscode.window.showQuickPick(
    [
      { label: vscode.l10n.t('Keep the embedded version'), detail: vscode.l10n.t('the device reports the version inside the image, which may differ from the label'), restamp: false },
      { label: vscode.l10n.t('Re-stamp the label into the image'), detail: vscode.l10n.t('write the label as the embedded version (and re-sign) so devices that compare versions accept it'), restamp: true },
    ],
    { placeHolder: vscode.l10n.t('Embedded version') },
  );
  if (!restampItem) return undefined;
  const key = await channelKey(services, channel, folder);
  if (!key) return undefined;
  if (testKeyName(key.keyId)) void vscode.window.showWarningMessage(vscode.l10n.t('Channel {0} is signed with a public MCUboot test key ({1}): never ship this release.', channel.name, key.label));
  const release = await withCancellableProgress(modeItem.progress, (signal, onProgress) => {
    onProgress({ message: modeItem.mode.kind === 'release' ? vscode.l10n.t('building…') : vscode.l10n.t('signing…') });
    return createReleaseCore({
      channel,
      folder,
      releasesRoot,
      mode: modeItem.mode,
      restamp: restampItem.restamp,
      build: modeItem.mode.kind === 'release',
      key,
      production: false,
      buildOptions: { env: process.env, signal, log: services.log, onOutput: (text) => services.log.info(text.trimEnd()) },
      log: services.log,
    });
  });
  const p = release.prediction;
  services.log.info(`release ${release.manifest.label} of ${channel.name}: ${release.artifactPath}; device will report ${p.willReport}`);
  for (const rule of p.rules) services.log.info(`  ${rule.rule}: ${rule.accepts ? 'accepts' : 'REFUSES'} (${rule.reason})`);
  const summary = vscode.l10n.t('Release {0} of {1}: the device will report {2}.', release.manifest.label, channel.name, p.willReport);
  if (p.refused) {
    const refusal = p.rules.filter((r) => !r.accepts).map((r) => `${r.rule}: ${r.reason}`).join('; ');
    void vscode.window.showWarningMessage(
      release.withRestamp && !release.withRestamp.refused
        ? vscode.l10n.t('{0} Devices will REFUSE it ({1}). Re-stamping would make it acceptable.', summary, refusal)
        : vscode.l10n.t('{0} Devices will REFUSE it ({1}).', summary, refusal),
    );
  } else {
    void vscode.window.showInformationMessage(p.labelMismatch ? vscode.l10n.t('{0} The label differs from the embedded version.', summary) : summary);
  }
  return release;
}
