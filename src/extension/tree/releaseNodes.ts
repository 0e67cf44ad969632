import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Channel } from '../../core/config/model';
import { describeError } from '../../core/errors';
import { channelReleaseDir, listReleases, manifestFileName, type StoredRelease } from '../../core/release/releaseStore';
import { testKeyName } from '../../core/signing/testKeys';
import type { TreeNode } from './treeNode';

/** The workspace's releases of every configured channel (`.ota/releases/<pid>/<channel>/<label>/`), newest first. */
export async function readWorkspaceReleases(root: string, channels: readonly Channel[]): Promise<{ releases: StoredRelease[]; problems: string[] }> {
  const releases: StoredRelease[] = [];
  const problems: string[] = [];
  for (const channel of channels) {
    try {
      releases.push(...(await listReleases(channelReleaseDir(root, channel.pid, channel.name))).reverse());
    } catch (err) {
      problems.push(`${channel.name}: ${describeError(err).split('\n')[0]}`);
    }
  }
  return { releases, problems };
}

/**
 * A release row: label, the version inside the image, who signed it (key id) and a warning when
 * that key is a published test key. Actions: Push to Server…, Verify, Reveal.
 */
export function releaseNode(folder: vscode.Uri, release: StoredRelease): TreeNode {
  const m = release.manifest;
  const testKey = testKeyName(m.keyId);
  const manifest = vscode.Uri.file(path.join(release.dir, manifestFileName));
  const parts = [vscode.l10n.t('embedded {0}', m.embeddedVersion), vscode.l10n.t('key {0}', m.keyId.slice(0, 8))];
  if (m.kind !== 'release') parts.push(m.kind);
  if (testKey) parts.push(vscode.l10n.t('TEST KEY'));
  return {
    id: `${folder.toString()}#release/${m.pid}/${m.channel}/${m.label}`,
    label: `${m.channel} ${m.label}`,
    description: parts.join(' · '),
    tooltip: [
      vscode.l10n.t('{0} · {1} bytes · {2}', m.file, m.size, m.format),
      vscode.l10n.t('PID {0}, firmware key {1}, channel {2}', m.pid, m.firmwareKey, m.channel),
      vscode.l10n.t('signing key {0}', m.keyId),
      ...(testKey ? [vscode.l10n.t('Signed with the {0}: its private key is public, never ship this release.', testKey)] : []),
      ...(m.deviceRefusal ? [vscode.l10n.t('Devices refuse it: {0}', m.deviceRefusal)] : []),
      vscode.l10n.t('created {0}', m.createdAt),
    ].join('\n'),
    icon: testKey || m.deviceRefusal ? 'warning' : 'package',
    ...(testKey || m.deviceRefusal ? { iconColor: 'list.warningForeground' } : {}),
    open: { uri: manifest },
    contextValue: 'ota.release',
    target: { folder, channel: m.channel, release: manifest },
  };
}
