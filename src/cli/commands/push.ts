import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { OtaError } from '../../core/errors';
import type { CommandRun } from '../command';
import { stringFlag } from '../args';
import { usageError, withJsonErrors, writeJson } from '../cliOutput';
import { terminalProgress } from '../progressBar';
import { clientFromFlags } from '../serverFlags';


export const pushCommand: CommandRun = async (ctx) => {
  const parsed = ctx.parsed;
  const json = parsed.flags.get('json') === true;
  const [file, ...extra] = parsed.positionals;
  if (!file) return usageError(ctx, 'FILE is missing');
  if (extra.length) return usageError(ctx, `unexpected argument '${extra[0]}'`);
  const pid = stringFlag(parsed, 'pid');
  const fwKey = stringFlag(parsed, 'fw-key');
  const channel = stringFlag(parsed, 'channel');
  for (const [name, v] of [['pid', pid], ['fw-key', fwKey], ['channel', channel]] as const) if (!v) return usageError(ctx, `--${name} is missing`);
  const deploy = parsed.flags.get('deploy') === true;
  const devicesText = stringFlag(parsed, 'devices');
  if (devicesText && !deploy) return usageError(ctx, '--devices only makes sense with --deploy');
  return withJsonErrors(ctx, json, async () => {
    const client = await clientFromFlags(ctx, parsed);
    const label = stringFlag(parsed, 'label') ?? '0.0.0';
    // The DDI chunk part: bApp unless told (Zephyr accepts only bApp; spiffs marks an Arduino
    // filesystem image). The server checks the name.
    const part = stringFlag(parsed, 'part');
    // The signed manifest `ota release create` wrote: the server serves it to devices as is.
    const manifestFile = stringFlag(parsed, 'manifest');
    const signedManifest = manifestFile ? (await readManifest(resolve(ctx.cwd, manifestFile))).toString('base64') : undefined;
    // A bar only on a terminal and never with --json: pipes and CI logs get no \r noise.
    const progress = json ? { done: () => undefined } : terminalProgress(ctx.stderr, 'uploading');
    const release = await client
      .pushFile(
        resolve(ctx.cwd, file),
        { pid: pid!, fwKey: fwKey!, channel: channel!, label, ...(part ? { part } : {}), ...(signedManifest ? { signedManifest } : {}) },
        { signal: ctx.signal, ...(progress.onProgress ? { onProgress: progress.onProgress } : {}) },
      )
      .finally(progress.done);
    const devices = devicesText?.split(',').map((d) => d.trim()).filter(Boolean);
    const deployment = deploy
      ? await client.deploy({ releaseId: release.id, type: parsed.flags.get('forced') === true ? 'forced' : 'soft', ...(devices?.length ? { devices } : {}) }, ctx.signal)
      : undefined;
    if (json) writeJson(ctx, { ok: true, release, ...(deployment ? { deployment } : {}) });
    else {
      ctx.stdout.write(`release ${release.id}: ${release.filename} ${release.label} (part ${release.part}, ${release.size} bytes, sha256 ${release.sha256})\n`);
      if (deployment) ctx.stdout.write(`deployment ${deployment.id}: PID ${deployment.pid}, key ${deployment.fwKey}, channel ${deployment.channel}, ${deployment.devices === 'all' ? 'every matching device' : deployment.devices.join(', ')} (${deployment.type})\n`);
    }
    return 0;
  });
};

async function readManifest(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    throw new OtaError(`cannot read the release manifest (${(err as NodeJS.ErrnoException).code ?? String(err)})`, {
      where: path,
      hint: 'pass the <file>.manifest.json that `ota release create` wrote next to the image',
      cause: err,
    });
  }
}
