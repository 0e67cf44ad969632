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
  return (await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Workspace folder with the OTA config' }))?.uri.fsPath;
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
    loaded.config.channels.map((channel) => ({ label: channel.name, description: `pid ${channel.pid}, ${channel.format}`, detail: `firmware key ${channel.firmwareKey}`, channel })),
    { placeHolder: 'Channel to release' },
  );
  if (!channelItem) return undefined;
  const channel = channelItem.channel;
  const releasesRoot = join(folder, '.ota', 'releases');
  const releases = await listReleases(channelReleaseDir(releasesRoot, channel.pid, channel.name));
  const modeItem = await vscode.window.showQuickPick(
    [
      { label: 'Release', detail: 'build, sign and describe the current firmware', mode: { kind: 'release' } as ReleaseMode },
      ...(releases.length ? [{ label: 'Stress test', detail: `release ${releases.at(-1)!.manifest.label}'s image again under the next label`, mode: { kind: 'stress' } as ReleaseMode }] : []),
      ...releases.slice(0, -1).map((r) => ({ label: `Rollback to ${r.manifest.label}`, detail: `release ${r.manifest.label}'s image (embedded ${r.manifest.embeddedVersion}) under a higher label`, mode: { kind: 'rollback', from: r.manifest.label } as ReleaseMode })),
    ],
    { placeHolder: 'What kind of release?' },
  );
  if (!modeItem) return undefined;
  const restampItem = await vscode.window.showQuickPick(
    [
      { label: 'Keep the embedded version', detail: 'the device reports the version inside the image, which may differ from the label', restamp: false },
      { label: 'Re-stamp the label into the image', detail: 'write the label as the embedded version (and re-sign) so devices that compare versions accept it', restamp: true },
    ],
    { placeHolder: 'Embedded version' },
  );
  if (!restampItem) return undefined;
  const key = await channelKey(services, channel, folder);
  if (!key) return undefined;
  if (testKeyName(key.keyId)) void vscode.window.showWarningMessage(`Channel ${channel.name} is signed with a public MCUboot test key (${key.label}): never ship this release.`);
  const release = await withCancellableProgress(`Creating a ${modeItem.label.toLowerCase()} of ${channel.name}`, (signal, onProgress) => {
    onProgress({ message: modeItem.mode.kind === 'release' ? 'building…' : 'signing…' });
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
  const summary = `Release ${release.manifest.label} of ${channel.name}: the device will report ${p.willReport}.`;
  if (p.refused) {
    const refusal = p.rules.filter((r) => !r.accepts).map((r) => `${r.rule}: ${r.reason}`).join('; ');
    void vscode.window.showWarningMessage(`${summary} Devices will REFUSE it (${refusal}).${release.withRestamp && !release.withRestamp.refused ? ' Re-stamping would make it acceptable.' : ''}`);
  } else {
    void vscode.window.showInformationMessage(`${summary}${p.labelMismatch ? ` The label differs from the embedded version.` : ''}`);
  }
  return release;
}
