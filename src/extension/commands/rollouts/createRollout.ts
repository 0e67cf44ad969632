import * as vscode from 'vscode';
import type { Release } from '../../../core/protocol/management';
import type { RolloutStatus } from '../../../providers/provider';
import type { ExtensionServices } from '../../context';
import { targetOf } from '../commandTarget';
import type { StepItem } from './quickSteps';
import { QuickSteps, wholeNumberIn } from './quickSteps';
import { reportRolloutFailure, rolloutSummary, runRolloutOperation } from './rolloutOperation';
import { pickRolloutServer, serverQuestions } from './rolloutServer';

/** Group counts offered first; hawkBit splits the matching targets into equal groups. */
const groupPresets = [1, 2, 4, 5, 10];
/** What hawkBit allows per rollout by default (`hawkbit.server.security.dos.maxRolloutGroupsPerRollout`). */
const maxGroups = 500;

/**
 * OTA: Create Rollout — a staged rollout of a release already on the server: titled, numbered
 * steps for the server, the release, a name, the groups, the success and error thresholds and
 * whether to start it now; then created (and started once its groups are ready) under a
 * cancellable progress. Any server whose provider has `rollouts` (hawkBit, ours where it has them).
 */
export async function createRollout(services: ExtensionServices, arg?: unknown): Promise<RolloutStatus | undefined> {
  const target = targetOf(arg);
  let serverName = target?.server;
  try {
    const { folders, asks } = await serverQuestions(target);
    const steps = new QuickSteps(vscode.l10n.t('OTA: Create Rollout'), asks + 6);
    const chosen = await pickRolloutServer(target, folders, steps, services.secrets);
    if (!chosen) return undefined;
    const { server, provider, loaded } = chosen;
    serverName = server.name;
    const [report, existing] = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Reading releases on {0}', server.name) },
      () => Promise.all([provider.status(), provider.rollouts.list()]),
    );
    // A rollout picks its devices by the release's key and channel: releases without them cannot be rolled out.
    const releases = report.releases.filter((r) => r.fwKey && r.channel && (!target?.channel || r.channel === target.channel));
    if (!releases.length) {
      void vscode.window.showErrorMessage(
        vscode.l10n.t('Server "{0}" has no release{1} to roll out. Push one first with "OTA: Push Release to a Server".', server.name, target?.channel ? vscode.l10n.t(' of channel {0}', target.channel) : ''),
      );
      return undefined;
    }
    const release = await steps.pick<Release>(
      [...releases].reverse().map((r) => ({ label: r.label, description: r.filename, detail: vscode.l10n.t('PID {0} · key {1} · channel {2}', r.pid, r.fwKey, r.channel), value: r })),
      vscode.l10n.t('Release to roll out'),
    );
    if (!release) return undefined;
    const taken = new Set(existing.map((r) => r.name));
    const name = await steps.input(vscode.l10n.t('Rollout name (unique on the server)'), uniqueName(`${release.channel}-${release.label}`, taken), (text) =>
      !text.trim() ? vscode.l10n.t('Enter a name.') : taken.has(text.trim()) ? vscode.l10n.t('Server "{0}" already has a rollout named "{1}".', server.name, text.trim()) : undefined,
    );
    if (name === undefined) return undefined;
    const groups = await pickGroups(steps);
    if (groups === undefined) return undefined;
    const success = await steps.input(vscode.l10n.t('Success threshold: percent of a group that must finish before the next group starts'), '50', (t) => wholeNumberIn(t, 1, 100));
    if (success === undefined) return undefined;
    const error = await steps.input(vscode.l10n.t('Error threshold: percent of a group that may fail before the rollout pauses'), '50', (t) => wholeNumberIn(t, 0, 100));
    if (error === undefined) return undefined;
    const startNow = await steps.pick(
      [
        { label: vscode.l10n.t('Start now'), detail: vscode.l10n.t('once its groups are built, the first group gets the update'), value: true },
        { label: vscode.l10n.t('Create only'), detail: vscode.l10n.t('start it later with "OTA: Start Rollout"'), value: false },
      ],
      vscode.l10n.t('Start the rollout now?'),
    );
    if (startNow === undefined) return undefined;
    const boundKeys = loaded.config.products.find((p) => p.pid === release.pid)?.firmwareKeys ?? [];
    const status = await runRolloutOperation(vscode.l10n.t('Creating rollout {0} on {1}', name.trim(), server.name), async (signal, say) => {
      const created = await provider.rollouts.create(
        { name: name.trim(), releaseId: release.id, pid: release.pid, fwKey: release.fwKey, channel: release.channel, boundKeys, groups, successThreshold: Number(success), errorThreshold: Number(error) },
        signal,
      );
      if (!startNow) return created;
      say(vscode.l10n.t('waiting for its groups to be built, then starting'));
      return provider.rollouts.start(created.id, { signal });
    });
    if (!status) return undefined;
    services.log.info(`rollout ${status.name} (id ${status.id}) created on ${server.name}: ${status.status}, ${status.totalTargets} target(s)`);
    services.tree.refresh();
    void vscode.window.showInformationMessage(rolloutSummary(server.name, status));
    return status;
  } catch (err) {
    reportRolloutFailure(services, vscode.l10n.t('Creating a rollout'), serverName, err);
    return undefined;
  }
}

async function pickGroups(steps: QuickSteps): Promise<number | undefined> {
  const presets: StepItem<number | 'other'>[] = groupPresets.map((n) => ({
    label: n === 1 ? vscode.l10n.t('1 group') : vscode.l10n.t('{0} groups', n),
    description: n === 1 ? vscode.l10n.t('every matching device at once') : vscode.l10n.t('about {0}% of the matching devices each', Math.round(100 / n)),
    value: n,
  }));
  const picked = await steps.pick([...presets, { label: vscode.l10n.t('Another number of groups…'), value: 'other' }], vscode.l10n.t('Groups: the matching devices are split evenly'));
  if (picked !== 'other') return picked;
  const text = await steps.input(vscode.l10n.t('Number of groups (1–{0}); each gets an equal share of the matching devices', maxGroups), '3', (t) => wholeNumberIn(t, 1, maxGroups), true);
  return text === undefined ? undefined : Number(text);
}

function uniqueName(base: string, taken: Set<string>): string {
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}
