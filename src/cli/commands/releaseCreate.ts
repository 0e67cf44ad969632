import { join, relative, resolve } from 'node:path';
import type { CommandRun } from '../command';
import { stringFlag } from '../args';
import { usageError, withJsonErrors, writeJson } from '../cliOutput';
import { hmacSecretFrom } from '../hmacSecret';
import { integerFlag } from '../numberFlags';
import { passphraseFrom } from '../passphrase';
import { loadWorkspace, selectChannel } from '../workspaceChannel';
import { OtaError } from '../../core/errors';
import { createRelease } from '../../core/release/createRelease';
import type { CreatedRelease, ReleaseMode } from '../../core/release/createRelease';
import { loadChannelSigningKey } from '../../core/signing/channelKey';
import { readKeySource } from '../../core/signing/keySource';
import { loadSigningKey } from '../../core/signing/loadKey';
import type { DevicePrediction } from '../../core/version/deviceAcceptance';


export const releaseCreateCommand: CommandRun = async (ctx) => {
  const parsed = ctx.parsed;
  const json = parsed.flags.get('json') === true;
  const stress = parsed.flags.get('stress') === true;
  const rollbackFrom = stringFlag(parsed, 'rollback-from');
  if (stress && rollbackFrom) return usageError(ctx, '--stress and --rollback-from exclude each other');
  if (parsed.positionals.length) return usageError(ctx, `unexpected argument '${parsed.positionals[0]}'`);
  return withJsonErrors(ctx, json, async () => {
    const loaded = await loadWorkspace(parsed, ctx.cwd);
    const { channel } = selectChannel(loaded, parsed);
    const passphrase = passphraseFrom(parsed, ctx.env);
    const keySpec = stringFlag(parsed, 'signing-key');
    const key = keySpec ? loadSigningKey(await readKeySource(keySpec, ctx.env, ctx.cwd), passphrase) : await loadChannelSigningKey(channel, loaded.folder, ctx.env, passphrase, ctx.log);
    if (!key) {
      throw new OtaError(`channel ${channel.name} has no signing key, and a release manifest must be signed`, {
        where: loaded.sharedFile,
        hint: 'Add "signing": { "key": "${secret:NAME}" or a path outside the repo, "format": "mcuboot"|"manifest" } to the channel, or pass -k KEY.',
        code: 'key-missing',
      });
    }
    const mode: ReleaseMode = stress ? { kind: 'stress' } : rollbackFrom ? { kind: 'rollback', from: rollbackFrom } : { kind: 'release' };
    const deviceVersion = stringFlag(parsed, 'device-version');
    const deviceSecure = integerFlag(parsed, 'device-secure-version');
    const label = stringFlag(parsed, 'label');
    const hmacSecret = hmacSecretFrom(parsed, ctx.env);
    const release = await createRelease({
      channel,
      folder: loaded.folder,
      releasesRoot: resolve(loaded.folder, stringFlag(parsed, 'releases') ?? join('.ota', 'releases')),
      mode,
      restamp: parsed.flags.get('restamp') === true,
      ...(label ? { label } : {}),
      build: mode.kind === 'release' && parsed.flags.get('no-build') !== true,
      key,
      production: parsed.flags.get('production') === true,
      ...(hmacSecret ? { hmacSecret } : {}),
      ...(deviceVersion ? { running: { embeddedVersion: deviceVersion, ...(deviceSecure !== undefined ? { secureVersion: deviceSecure } : {}), source: '--device-version' } } : {}),
      buildOptions: { env: ctx.env, signal: ctx.signal, log: ctx.log, onOutput: (text) => void ctx.stderr.write(text) },
      log: ctx.log,
    });
    if (json) writeJson(ctx, { ok: true, ...release });
    else ctx.stdout.write(describeRelease(release, ctx.cwd));
    return 0;
  });
};

function describePrediction(p: DevicePrediction, indent: string): string[] {
  return p.rules.map((r) => `${indent}${r.rule}: ${r.accepts ? 'accepts' : 'REFUSES'} (${r.reason})`);
}

function describeRelease(r: CreatedRelease, cwd: string): string {
  const m = r.manifest;
  const kind = m.kind === 'release' ? 'release' : m.kind === 'stress' ? 'stress-test release' : 'rollback release';
  const lines = [
    `${kind} ${m.label} of channel ${m.channel} (pid ${m.pid}, firmware key ${m.firmwareKey})`,
    `  from       ${relative(cwd, r.source) || r.source}${r.sourceEmbeddedVersion !== undefined ? ` (embedded ${r.sourceEmbeddedVersion})` : ''}`,
    `  artifact   ${relative(cwd, r.artifactPath)} (${m.size} bytes)`,
    `  SHA-256    ${m.sha256}`,
    `  MD5        ${m.md5}`,
    ...(m.hmacSha256 ? [`  HMAC       ${m.hmacSha256}`] : []),
    `  manifest   ${relative(cwd, r.manifestPath)}, signed by key ${m.keyId}`,
    `  label      ${m.label}`,
    `  embedded   ${m.embeddedVersion}${m.secureVersion !== undefined ? ` (secure_version ${m.secureVersion})` : ''}${r.restamped ? ' (re-stamped)' : ''}`,
    `  device     will report ${r.prediction.willReport} after installing${r.prediction.labelMismatch ? `, not the label ${m.label}` : ''}`,
  ];
  if (r.running) {
    lines.push(`  devices running ${r.running.embeddedVersion} (${r.running.source}):`, ...describePrediction(r.prediction, '    '));
    if (!r.prediction.rules.length) lines.push('    (raw images carry no version a device could compare)');
  } else {
    lines.push('  no earlier release: pass --device-version V to check against what devices run');
  }
  if (r.prediction.refused) {
    lines.push(`WARNING: devices that compare embedded versions will refuse this release.`);
    if (r.withRestamp && !r.withRestamp.refused) lines.push(`  With --restamp (embedded version ${r.withRestamp.willReport}) they would accept it:`, ...describePrediction(r.withRestamp, '    '));
  } else if (r.prediction.labelMismatch && m.format !== 'raw') {
    lines.push(`NOTE: the device will report ${r.prediction.willReport} while the server calls this ${m.label}; pass --restamp to make them agree.`);
  }
  return lines.join('\n') + '\n';
}
