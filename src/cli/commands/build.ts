import type { CommandRun } from '../command';
import { withJsonErrors, writeJson } from '../cliOutput';
import { loadWorkspace, selectChannel } from '../workspaceChannel';
import { runBuild } from '../../core/build/runBuild';


export const buildCommand: CommandRun = async (ctx) => {
  const parsed = ctx.parsed;
  const json = parsed.flags.get('json') === true;
  return withJsonErrors(ctx, json, async () => {
    const loaded = await loadWorkspace(parsed, ctx.cwd);
    const { channel } = selectChannel(loaded, parsed);
    // With --json, stdout carries only the result; the compiler output goes to stderr.
    const sink = json ? ctx.stderr : ctx.stdout;
    if (!json) ctx.stdout.write(`> ${channel.build?.command ?? ''}\n`);
    const outcome = await runBuild(channel, loaded.folder, {
      env: ctx.env,
      signal: ctx.signal,
      log: ctx.log,
      onOutput: (text, stream) => void (stream === 'stderr' ? ctx.stderr : sink).write(text),
    });
    if (json) {
      writeJson(ctx, { ok: true, channel: channel.name, pid: channel.pid, artifact: outcome.artifact, build: outcome.metadata });
    } else {
      const m = outcome.metadata;
      ctx.stdout.write(
        `built ${channel.name}: ${outcome.artifact} (${m.size} bytes)\n` +
          `  commit ${m.gitCommit ?? '(not a git repository)'}${m.gitDirty ? ' + uncommitted changes' : ''}, by ${m.builder} at ${m.time}\n`,
      );
    }
    return 0;
  });
};
