import type { CliCommand } from '../command';
import { parseArgs } from '../args';
import { usageError, withJsonErrors, writeJson } from '../cliOutput';
import { loadWorkspace, selectChannel } from '../workspaceChannel';
import { bumpChannelVersion } from '../../core/version/channelVersion';
import { bumpKinds } from '../../core/version/semver';
import type { BumpKind } from '../../core/version/semver';

const usage = 'ota version bump patch|minor|major [--channel C] [--pid P] [--folder DIR] [--json]';

export const versionBumpCommand: CliCommand = {
  path: ['version', 'bump'],
  summary: "raise the channel's release label in its version source (file, config value or git tag)",
  usage,
  run: async (ctx) => {
    const parsed = parseArgs(ctx.args, ['json']);
    const json = parsed.flags.get('json') === true;
    const [kind, ...extra] = parsed.positionals;
    if (!kind || !(bumpKinds as readonly string[]).includes(kind) || extra.length) return usageError(ctx, usage, 'say which part to bump: patch, minor or major');
    return withJsonErrors(ctx, json, async () => {
      const loaded = await loadWorkspace(parsed, ctx.cwd);
      const { channel, index } = selectChannel(loaded, parsed);
      const result = await bumpChannelVersion(loaded, index, kind as BumpKind);
      if (json) writeJson(ctx, { ok: true, channel: channel.name, pid: channel.pid, source: channel.version.source, ...result });
      else ctx.stdout.write(`${channel.name}: ${result.previous} -> ${result.next} (${result.changed})\n`);
      return 0;
    });
  },
};
