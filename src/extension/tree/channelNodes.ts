import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ChannelState } from '../../core/build/channelState';
import { shownPath } from '../../core/build/newestSource';
import type { Channel } from '../../core/config/model';
import type { TreeNode } from './treeNode';

/**
 * A channel row: whether its artifact is built, the version inside it, the label a release would
 * get and whether sources changed since the build. Inline: Build, Bump Version, Create Release,
 * Push…; the context menu adds the rest of the pipeline (see package.json menus).
 */
export function channelNode(folder: vscode.Uri, channel: Channel, state: ChannelState | undefined, open: TreeNode['open']): TreeNode {
  const id = `${folder.toString()}#channel/${channel.pid}/${channel.name}`;
  const facts = channelFacts(folder, channel, state);
  const built = state?.artifact !== undefined && state.artifactProblem === undefined;
  const stale = state?.newerSource !== undefined;
  return {
    id,
    label: channel.name,
    description: summary(state),
    tooltip: [`${channel.pid} · ${channel.firmwareKey} · ${channel.format}`, ...facts.map((f) => `${f.label}: ${f.description ?? ''}`)].join('\n'),
    icon: !state ? 'loading~spin' : !built ? 'circle-large-outline' : stale ? 'warning' : 'circuit-board',
    ...(built && stale ? { iconColor: 'list.warningForeground' } : {}),
    open,
    contextValue: built ? 'ota.channel.built' : 'ota.channel',
    target: { folder, channel: channel.name },
    collapsed: true,
    children: facts.map((f, i) => ({ ...f, id: `${id}/${i}` })),
  };
}

function summary(state: ChannelState | undefined): string {
  if (!state) return vscode.l10n.t('reading…');
  const parts: string[] = [];
  if (!state.artifact) parts.push(vscode.l10n.t('not built'));
  else if (state.embeddedVersion) parts.push(vscode.l10n.t('built v{0}', state.embeddedVersion));
  else parts.push(vscode.l10n.t('built'));
  if (state.nextLabel) parts.push(state.released ? vscode.l10n.t('{0} released', state.nextLabel) : vscode.l10n.t('next {0}', state.nextLabel));
  if (state.newerSource) parts.push(vscode.l10n.t('stale'));
  return parts.join(' · ');
}

/** The detail rows under a channel: the artifact, its version, the next label, staleness. */
function channelFacts(folder: vscode.Uri, channel: Channel, state: ChannelState | undefined): TreeNode[] {
  if (!state) return [];
  const rows: TreeNode[] = [];
  const root = folder.fsPath;
  if (state.artifact) {
    const a = state.artifact;
    rows.push({
      label: vscode.l10n.t('artifact'),
      description: `${shownPath(root, a.path)} · ${kib(a.size)} · ${new Date(a.mtimeMs).toLocaleString()}`,
      icon: 'file-binary',
      open: { uri: vscode.Uri.file(a.path) },
    });
  } else {
    rows.push({ label: vscode.l10n.t('artifact'), description: state.artifactProblem ?? vscode.l10n.t('not built'), icon: 'circle-slash' });
  }
  if (state.artifact && state.artifactProblem) rows.push({ label: vscode.l10n.t('unreadable'), description: state.artifactProblem, icon: 'error', iconColor: 'list.errorForeground' });
  if (state.artifact) {
    rows.push({ label: vscode.l10n.t('embedded version'), description: state.embeddedVersion ?? vscode.l10n.t('none in a {0} image', state.format ?? channel.format), icon: 'tag' });
  }
  if (state.nextLabel) {
    rows.push({
      label: vscode.l10n.t('next label'),
      description: state.released ? vscode.l10n.t('{0} (a release {0} exists: bump the version first)', state.nextLabel) : state.nextLabel,
      icon: 'versions',
    });
  } else if (state.labelProblem) {
    rows.push({ label: vscode.l10n.t('next label'), description: state.labelProblem, icon: 'warning' });
  }
  if (state.newerSource) {
    const file = state.newerSource.file;
    rows.push({
      label: vscode.l10n.t('stale'),
      description: vscode.l10n.t('{0} is newer than the artifact', shownPath(channel.build?.cwd ? path.resolve(root, channel.build.cwd) : root, file)),
      icon: 'warning',
      iconColor: 'list.warningForeground',
      open: { uri: vscode.Uri.file(file) },
    });
  } else if (state.staleUnknown) {
    rows.push({ label: vscode.l10n.t('sources'), description: vscode.l10n.t('too many files to check them all; nothing newer among the first checked'), icon: 'info' });
  }
  return rows;
}

function kib(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}
