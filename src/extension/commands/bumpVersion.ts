import * as vscode from 'vscode';
import { bumpChannelVersion, readChannelLabel } from '../../core/version/channelVersion';
import type { BumpResult } from '../../core/version/channelVersion';
import { bumpSemver, formatSemver, parseSemver } from '../../core/version/semver';
import type { BumpKind } from '../../core/version/semver';
import type { ExtensionServices } from '../context';
import { targetOf } from './commandTarget';
import { pickChannel, pickWorkspace } from './pickTarget';
import type { Workspace } from './pickTarget';
import { reportFailure } from './reportFailure';
import { StepFlow } from './steps';

/**
 * OTA: Bump Version — the next patch / minor / major written into the channel's version source,
 * by the same rules as `ota version bump` (a version file, the config's fixed value, or a git tag;
 * an `image` source is bumped in the firmware build, which the message says).
 * A second argument `'patch' | 'minor' | 'major'` skips the question (the walkthrough, tests).
 */
export async function bumpVersion(services: ExtensionServices, arg?: unknown, kindArg?: unknown): Promise<BumpResult | undefined> {
  const target = targetOf(arg);
  const flow = new StepFlow(vscode.l10n.t('OTA: Bump Version'), 3);
  let workspace: Workspace | undefined;
  try {
    workspace = await pickWorkspace(flow, target);
    if (!workspace) return undefined;
    const channel = await pickChannel(flow, workspace, target, vscode.l10n.t('Channel whose version to bump'));
    if (!channel) return undefined;
    const index = workspace.config.channels.indexOf(channel);
    let kind: BumpKind | undefined = kindArg === 'patch' || kindArg === 'minor' || kindArg === 'major' ? kindArg : undefined;
    if (!kind) {
      const current = await readChannelLabel(channel, workspace.folder).then(
        (l) => l.label,
        () => undefined,
      );
      const parsed = current ? parseSemver(current) : undefined;
      const next = (k: BumpKind) => (parsed ? formatSemver(bumpSemver(parsed, k)) : k);
      const picked = await flow.pick(
        (['patch', 'minor', 'major'] as const).map((k) => ({ label: next(k), description: k, part: k })),
        current ? vscode.l10n.t('{0} is at {1}; bump to', channel.name, current) : vscode.l10n.t('Which part of the version to bump'),
      );
      if (!picked) return undefined;
      kind = picked.part;
    } else flow.skip();
    const result = await bumpChannelVersion(workspace, index, kind);
    services.log.info(`bumped ${channel.name}: ${result.previous} -> ${result.next} (${result.changed})`);
    services.tree.refresh();
    void vscode.window.showInformationMessage(
      vscode.l10n.t('{0}: version {1} → {2} ({3}). Build again so the image carries it.', channel.name, result.previous, result.next, vscode.workspace.asRelativePath(result.changed)),
    );
    return result;
  } catch (err) {
    reportFailure(services, vscode.l10n.t('Bump Version failed'), err, workspace ? { folder: workspace.folder } : {});
    return undefined;
  }
}
