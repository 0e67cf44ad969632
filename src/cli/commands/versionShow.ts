import { join, resolve } from 'node:path';
import type { CommandRun } from '../command';
import { stringFlag } from '../args';
import { withJsonErrors, writeJson } from '../cliOutput';
import { loadWorkspace, selectChannel } from '../workspaceChannel';
import { describeError } from '../../core/errors';
import { findArtifact } from '../../core/build/findArtifact';
import { inspectImage } from '../../core/image/inspectImage';
import { readImageFile } from '../../core/image/readImageFile';
import { channelReleaseDir, listReleases } from '../../core/release/releaseStore';
import { readChannelLabel } from '../../core/version/channelVersion';
import { embeddedVersionOf } from '../../core/verify/verifyFirmware';


interface Row {
  channel: string;
  pid: string;
  format: string;
  label?: string;
  labelFrom?: string;
  labelError?: string;
  artifact?: string;
  embeddedVersion?: string;
  latestRelease?: { label: string; embeddedVersion: string };
}

export const versionShowCommand: CommandRun = async (ctx) => {
  const parsed = ctx.parsed;
  const json = parsed.flags.get('json') === true;
  return withJsonErrors(ctx, json, async () => {
    const loaded = await loadWorkspace(parsed, ctx.cwd);
    const channels = stringFlag(parsed, 'channel') || stringFlag(parsed, 'pid') ? [selectChannel(loaded, parsed).channel] : loaded.config.channels;
    const releasesRoot = resolve(loaded.folder, stringFlag(parsed, 'releases') ?? join('.ota', 'releases'));
    const rows: Row[] = [];
    for (const channel of channels) {
      const row: Row = { channel: channel.name, pid: channel.pid, format: channel.format };
      try {
        const found = await findArtifact(channel, loaded.folder, ctx.signal);
        row.artifact = found.path;
        const { bytes } = await readImageFile(found.path);
        const embedded = embeddedVersionOf(inspectImage(bytes, found.path));
        if (embedded !== undefined) row.embeddedVersion = embedded;
      } catch {
        // No artifact yet: the label can still be shown.
      }
      if (!row.artifact && channel.version.source === 'image') {
        // The label is read from the image, and there is no image yet: say so, and how to make one.
        row.labelError = channel.build
          ? `not built yet: run \`ota build --channel ${channel.name}\` (the label comes from the version inside the image)`
          : `no image at "${channel.artifact}" yet: build it, then the label is read from the version inside it`;
      } else {
        try {
          const label = await readChannelLabel(channel, loaded.folder, row.embeddedVersion);
          row.label = label.label;
          row.labelFrom = label.from;
        } catch (err) {
          row.labelError = describeError(err).split('\n')[0]!;
        }
      }
      const latest = (await listReleases(channelReleaseDir(releasesRoot, channel.pid, channel.name))).at(-1);
      if (latest) row.latestRelease = { label: latest.manifest.label, embeddedVersion: latest.manifest.embeddedVersion };
      rows.push(row);
    }
    if (json) {
      writeJson(ctx, { ok: true, channels: rows });
      return 0;
    }
    const table = [
      ['channel', 'pid', 'format', 'label', 'embedded (in image)', 'latest release (label / embedded)'],
      ...rows.map((r) => [
        r.channel,
        r.pid,
        r.format,
        r.label ?? `? (${r.labelError})`,
        r.embeddedVersion ?? (r.artifact ? '(none)' : '(not built)'),
        r.latestRelease ? `${r.latestRelease.label} / ${r.latestRelease.embeddedVersion}` : '(none)',
      ]),
    ];
    const widths = table[0]!.map((_, i) => Math.max(...table.map((line) => line[i]!.length)));
    for (const line of table) ctx.stdout.write(line.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd() + '\n');
    return 0;
  });
};
