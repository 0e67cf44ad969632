import type { CommandRun } from '../command';
import { stringFlag } from '../args';
import { usageError } from '../cliOutput';
import { providerFromFlags } from '../providerFlags';
import type { Deployment, Device, Release, RolloutSummary, ServerEvent, UpdateSession } from '../../core/protocol/management';
import { followEvents } from '../../providers/ota/eventStream';
import { OtaProvider } from '../../providers/ota/otaProvider';
import { pollStatus } from '../../providers/statusPoller';
import { escapeControlChars, terminalSafeJson } from '../../core/text/controlChars';

/** Live events of a server in the terminal: sessions moving, devices reporting, why-nots. */
export const watchCommand: CommandRun = async (ctx) => {
  const parsed = ctx.parsed;
  const json = parsed.flags.get('json') === true;
  if (parsed.positionals.length) return usageError(ctx, `unexpected argument '${parsed.positionals[0]}'`);
  const forText = stringFlag(parsed, 'for');
  const seconds = forText === undefined ? undefined : Number(forText);
  if (seconds !== undefined && !(seconds > 0)) return usageError(ctx, `--for '${forText}' is not a number of seconds`);
  const { provider, pollMs } = await providerFromFlags(ctx, parsed);
  const signal = seconds === undefined ? ctx.signal : AbortSignal.any([ctx.signal, AbortSignal.timeout(seconds * 1000)]);
  // Events carry the devices' own words: control characters in them are shown escaped, never run by the terminal.
  const print = (e: ServerEvent) => ctx.stdout.write(json ? `${terminalSafeJson(JSON.stringify(e))}\n` : `${escapeControlChars(describe(e))}\n`);
  if (provider instanceof OtaProvider) {
    // Only what happens from now on: the history is what `ota status` is for.
    await followEvents(provider.client.baseUrl, provider.client.bearerToken, print, {
      signal,
      lastEventId: Number.MAX_SAFE_INTEGER,
      onOpen: () => ctx.stderr.write(`info: watching ${provider.client.baseUrl} (Ctrl-C to stop)\n`),
      ...(provider.client.trustedCa ? { ca: provider.client.trustedCa } : {}),
    });
    return 0;
  }
  ctx.stderr.write(`info: watching ${provider.name}, polling every ${pollMs / 1000} s (Ctrl-C to stop)\n`);
  let id = 0;
  let failure: unknown;
  const stop = new AbortController();
  const polling = AbortSignal.any([signal, stop.signal]);
  // A failed poll ends the watch with its error (the terminal user reruns it); the editor keeps retrying instead.
  await pollStatus(provider, { intervalMs: pollMs, signal: polling, nextId: () => ++id }, {
    onEvents: (events) => events.forEach(print),
    onError: (err) => {
      failure = err;
      stop.abort();
    },
  });
  if (failure !== undefined) throw failure;
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
      if (e.type.startsWith('rollout.')) {
        const r = e.data as Partial<RolloutSummary> & { group?: number };
        const c = r.counts;
        const group = r.group !== undefined ? ` group ${r.group + 1}` : '';
        return `${time} ${e.type}${group} rollout ${r.id ?? ''} ${r.name ?? ''}: ${r.state ?? ''}${c ? ` ${c.succeeded}/${c.total} succeeded, ${c.failed} failed, ${c.running} running` : ''}${r.reason ? ` (${r.reason})` : ''}`;
      }
      return `${time} ${e.type} ${JSON.stringify(e.data)}`;
  }
}
