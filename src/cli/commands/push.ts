import type { CliCommand } from '../command';
import { parseArgs, stringFlag } from '../args';
import { usageError, withJsonErrors, writeJson } from '../cliOutput';
import { deployBooleans, deployFromFlags, deployUsage } from '../deployFlags';
import { terminalProgress } from '../progressBar';
import { providerFromFlags } from '../providerFlags';
import { runPush } from '../pushFlow';

const usage = `ota push [FILE] [--server NAME|URL] [--folder DIR] [--channel C] [--pid P] [--key K] [--label V] [--manifest FILE.manifest.json] [--deploy ${deployUsage}] [--token-env VAR] [--ca FILE] [--json]`;

export const pushCommand: CliCommand = {
  path: ['push'],
  summary: 'upload an image as a release to any configured server (ours, remote, hawkBit), optionally deploy it',
  usage,
  run: async (ctx) => {
    const parsed = parseArgs(ctx.args, ['json', 'deploy', ...deployBooleans]);
    const json = parsed.flags.get('json') === true;
    const [file, ...extra] = parsed.positionals;
    if (extra.length) return usageError(ctx, usage, `unexpected argument '${extra[0]}'`);
    const deploy = parsed.flags.get('deploy') === true;
    const deployment = deployFromFlags(parsed);
    if (!deploy && (deployment.devices || deployment.type !== 'soft' || deployment.maintenanceWindow)) return usageError(ctx, usage, '--devices, --forced, --download-only, --time-forced and --window-* only make sense with --deploy');
    return withJsonErrors(ctx, json, async () => {
      const server = await providerFromFlags(ctx, parsed);
      // A bar only on a terminal and never with --json: pipes and CI logs get no \r noise.
      const progress = json ? { done: () => undefined } : terminalProgress(ctx.stderr, 'uploading');
      const options = {
        ...(file ? { file } : {}),
        ...optional('channel', stringFlag(parsed, 'channel')),
        ...optional('pid', stringFlag(parsed, 'pid')),
        ...optional('fwKey', stringFlag(parsed, 'key')),
        ...optional('label', stringFlag(parsed, 'label')),
        ...optional('manifestFile', stringFlag(parsed, 'manifest')),
        ...(deploy ? { deploy: deployment } : {}),
      };
      const result = await runPush(ctx.cwd, server, options, { signal: ctx.signal, ...(progress.onProgress ? { onProgress: progress.onProgress } : {}) }).finally(progress.done);
      if (json) writeJson(ctx, { ok: true, server: { name: server.provider.name, kind: server.provider.kind }, release: result.release, ...(result.deployment ? { deployment: result.deployment } : {}) });
      else {
        const r = result.release;
        ctx.stdout.write(`release ${r.id}: ${r.filename} ${r.label} (${r.size} bytes, sha256 ${r.sha256}) on ${server.provider.name}\n`);
        for (const note of [...r.notes, ...(result.deployment?.notes ?? [])]) ctx.stdout.write(`  ${note}\n`);
      }
      return 0;
    });
  },
};

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
