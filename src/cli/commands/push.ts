import type { CommandRun } from '../command';
import { stringFlag } from '../args';
import { usageError, withJsonErrors, writeJson } from '../cliOutput';
import { deployFromFlags } from '../deployFlags';
import { terminalProgress } from '../progressBar';
import { providerFromFlags } from '../providerFlags';
import { runPush } from '../pushFlow';

/** `ota push [FILE]`: upload an image as a release to any configured server (ours, remote, hawkBit), optionally deploy it. */
export const pushCommand: CommandRun = async (ctx) => {
  const parsed = ctx.parsed;
  const json = parsed.flags.get('json') === true;
  const [file, ...extra] = parsed.positionals;
  if (extra.length) return usageError(ctx, `unexpected argument '${extra[0]}'`);
  const deploy = parsed.flags.get('deploy') === true;
  const deployment = deployFromFlags(parsed);
  if (!deploy && (deployment.devices || deployment.type !== 'soft' || deployment.maintenanceWindow)) return usageError(ctx, '--devices, --forced, --download-only, --time-forced and --window-* only make sense with --deploy');
  return withJsonErrors(ctx, json, async () => {
    const server = await providerFromFlags(ctx, parsed);
    // A bar only on a terminal and never with --json: pipes and CI logs get no \r noise.
    const progress = json ? { done: () => undefined } : terminalProgress(ctx.stderr, 'uploading');
    const options = {
      ...(file ? { file } : {}),
      ...optional('channel', stringFlag(parsed, 'channel')),
      ...optional('pid', stringFlag(parsed, 'pid')),
      ...optional('fwKey', stringFlag(parsed, 'fw-key')),
      ...optional('label', stringFlag(parsed, 'label')),
      ...optional('manifestFile', stringFlag(parsed, 'manifest')),
      // The DDI chunk part: bApp unless told (Zephyr accepts only bApp; spiffs marks an Arduino
      // filesystem image). The server checks the name.
      ...optional('part', stringFlag(parsed, 'part')),
      ...(deploy ? { deploy: deployment } : {}),
    };
    const result = await runPush(ctx.cwd, server, options, { signal: ctx.signal, ...(progress.onProgress ? { onProgress: progress.onProgress } : {}) }).finally(progress.done);
    if (json) writeJson(ctx, { ok: true, server: { name: server.provider.name, kind: server.provider.kind }, release: result.release, ...(result.deployment ? { deployment: result.deployment } : {}) });
    else {
      const r = result.release;
      ctx.stdout.write(`release ${r.id}: ${r.filename} ${r.label} (${r.part ? `part ${r.part}, ` : ''}${r.size} bytes, sha256 ${r.sha256}) on ${server.provider.name}\n`);
      for (const note of [...r.notes, ...(result.deployment?.notes ?? [])]) ctx.stdout.write(`  ${note}\n`);
    }
    return 0;
  });
};

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
