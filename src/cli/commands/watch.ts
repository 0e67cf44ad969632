import type { CommandRun } from '../command';
import { stringFlag } from '../args';
import { usageError } from '../cliOutput';
import { clientFromFlags, defaultTokenEnv } from '../serverFlags';
import type { Deployment, Device, Release, ServerEvent, UpdateSession } from '../../core/protocol/management';
import { followEvents } from '../../providers/ota/eventStream';
import { readFile } from 'node:fs/promises';
import { escapeControlChars, terminalSafeJson } from '../../core/text/controlChars';

/** Live events of an OTA server in the terminal: sessions moving, devices reporting, why-nots. */
export const watchCommand: CommandRun = async (ctx) => {
  const parsed = ctx.parsed;
  const json = parsed.flags.get('json') === true;
  if (parsed.positionals.length) return usageError(ctx, `unexpected argument '${parsed.positionals[0]}'`);
  const forText = stringFlag(parsed, 'for');
  const seconds = forText === undefined ? undefined : Number(forText);
  if (seconds !== undefined && !(seconds > 0)) return usageError(ctx, `--for '${forText}' is not a number of seconds`);
  await clientFromFlags(ctx, parsed);
  const server = stringFlag(parsed, 'server') ?? ctx.env.OTA_SERVER_URL!;
  const token = ctx.env[stringFlag(parsed, 'token-env') ?? defaultTokenEnv]!.trim();
  const caFile = stringFlag(parsed, 'ca');
  const signal = seconds === undefined ? ctx.signal : AbortSignal.any([ctx.signal, AbortSignal.timeout(seconds * 1000)]);
  // Only what happens from now on: the history is what `ota status` is for.
  // Events carry the devices' own words: control characters in them are shown escaped, never run by the terminal.
  await followEvents(server, token, (e) => ctx.stdout.write(json ? `${terminalSafeJson(JSON.stringify(e))}\n` : `${escapeControlChars(describe(e))}\n`), {
    signal,
    lastEventId: Number.MAX_SAFE_INTEGER,
    onOpen: () => ctx.stderr.write(`info: watching ${server} (Ctrl-C to stop)\n`),
    ...(caFile ? { ca: await readFile(caFile, 'utf8') } : {}),
  });
  return 0;
};

function describe(e: ServerEvent): string {
  // The server's time of the event (UTC), not when it reached this terminal.
  const time = (e.at || new Date().toISOString()).slice(11, 19);
  switch (e.type) {
    case 'session.updated': {
      const s = e.data as UpdateSession;
      const why = s.failureReason ? `: ${s.failureReason}` : '';
      return `${time} session ${s.id} device ${s.deviceId} ${s.state} ${Math.round(s.progress * 100)}% (${s.bytesServed}/${s.size} B)${s.slow ? ' SLOW' : ''}${why}`;
    }
    case 'device.not-offered': {
      const w = e.data as { deviceId: string; reason: string };
      return `${time} not offered to ${w.deviceId}: ${w.reason}`;
    }
    case 'device.attributes':
    case 'device.seen': {
      const d = e.data as Device;
      return `${time} device ${d.id} ${Object.entries(d.attributes).map(([k, v]) => `${k}=${v}`).join(' ')}`;
    }
    case 'release.created': {
      const r = e.data as Release;
      return `${time} release ${r.id} ${r.filename} ${r.label} (PID ${r.pid}, key ${r.fwKey}, channel ${r.channel})`;
    }
    case 'deployment.created':
    case 'deployment.cancelled': {
      const d = e.data as Deployment;
      return `${time} deployment ${d.id} ${d.state}: release ${d.releaseId} to ${d.devices === 'all' ? 'all matching devices' : d.devices.join(',')}`;
    }
    default:
      return `${time} ${e.type} ${JSON.stringify(e.data)}`;
  }
}
