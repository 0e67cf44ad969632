import type { CommandRun } from '../command';
import { usageError, withJsonErrors, writeJson } from '../cliOutput';
import { loadWorkspace, selectChannel } from '../workspaceChannel';
import { bumpChannelVersion } from '../../core/version/channelVersion';
import { bumpKinds } from '../../core/version/semver';
import type { BumpKind } from '../../core/version/semver';


export const versionBumpCommand: CommandRun = async (ctx) => {
  const parsed = ctx.parsed;
  const json = parsed.flags.get('json') === true;
  const [kind, ...extra] = parsed.positionals;
  if (!kind || !(bumpKinds as readonly string[]).includes(kind) || extra.length) return usageError(ctx, 'say which part to bump: patch, minor or major');
  return withJsonErrors(ctx, json, async () => {
    const loaded = await loadWorkspace(parsed, ctx.cwd);
    const { channel, index } = selectChannel(loaded, parsed);
    const result = await bumpChannelVersion(loaded, index, kind as BumpKind);
    if (json) writeJson(ctx, { ok: true, channel: channel.name, pid: channel.pid, source: channel.version.source, ...result });
    else ctx.stdout.write(`${channel.name}: ${result.previous} -> ${result.next} (${result.changed})\n`);
    return 0;
  });
};
