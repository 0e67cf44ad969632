import type { CommandRun } from '../command';
import { stringFlag } from '../args';
import { usageError } from '../cliOutput';
import { providerFromFlags } from '../providerFlags';
import type { Deployment, Device, Release, RolloutSummary, ServerEvent, StatusReport, UpdateSession } from '../../core/protocol/management';
import { followEvents } from '../../providers/ota/eventStream';
import { OtaProvider } from '../../providers/ota/otaProvider';
import type { PushProvider } from '../../providers/provider';
import { statusEvents } from '../../providers/statusDiff';
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
  await pollEvents(provider, pollMs, signal, print);
  return 0;
};

/** Polls a server without an event stream and prints what changed between two reports. */
async function pollEvents(provider: PushProvider, pollMs: number, signal: AbortSignal, print: (e: ServerEvent) => void): Promise<void> {
  let before: StatusReport | undefined;
  let id = 0;
  while (!signal.aborted) {
    let report: StatusReport;
    try {
      report = await provider.status(signal);
    } catch (err) {
      if (signal.aborted) return;
      throw err;
    }
    for (const e of statusEvents(before, report, () => ++id)) print(e);
    before = report;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, pollMs);
      signal.addEventListener('abort', () => {
        clearTimeout(t);
        resolve();
      }, { once: true });
    });
  }
}

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
