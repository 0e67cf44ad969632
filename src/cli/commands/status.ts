import type { CommandRun } from '../command';
import { usageError, withJsonErrors, writeJson } from '../cliOutput';
import { providerFromFlags } from '../providerFlags';
import type { StatusReport } from '../../core/protocol/management';
import { escapeControlChars } from '../../core/text/controlChars';


/** `ota status`: any configured server (ours, remote, hawkBit). */
export const statusCommand: CommandRun = async (ctx) => {
  const parsed = ctx.parsed;
  const json = parsed.flags.get('json') === true;
  if (parsed.positionals.length) return usageError(ctx, `unexpected argument '${parsed.positionals[0]}'`);
  return withJsonErrors(ctx, json, async () => {
    const { provider } = await providerFromFlags(ctx, parsed);
    const report = await provider.status(ctx.signal);
    if (json) writeJson(ctx, { ok: true, ...report });
    else ctx.stdout.write(formatStatus(report));
    return 0;
  });
};

export function formatStatus(r: StatusReport): string {
  const out: string[] = [];
  out.push(`server ${r.server.version}${r.server.tls ? ' (TLS)' : ''}, offline timeout ${r.server.offlineTimeoutMs / 1000} s${r.server.installTimeoutMs !== undefined ? `, install timeout ${r.server.installTimeoutMs / 1000} s` : ''}, minimum bandwidth ${r.server.minBandwidthBps / 1000} kbps`);
  out.push('', `products (${r.products.length})`);
  for (const p of r.products) out.push(`  ${p.pid}: keys ${p.keys.join(', ')}`);
  out.push('', `releases (${r.releases.length})`);
  for (const x of r.releases) out.push(`  ${x.id}  ${x.filename} ${x.label}  PID ${x.pid} key ${x.fwKey} channel ${x.channel}  ${x.size} bytes`);
  out.push('', `deployments (${r.deployments.length})`);
  for (const d of r.deployments) out.push(`  ${d.id}  release ${d.releaseId}  PID ${d.pid} key ${d.fwKey} channel ${d.channel}  ${d.devices === 'all' ? 'all matching' : d.devices.join(',')}  ${d.type}  ${d.state}`);
  const shown = (list: unknown[], total: number | undefined) => (total !== undefined && total > list.length ? `${list.length} of ${total}` : String(list.length));
  out.push('', `devices (${shown(r.devices, r.totals?.devices)})`);
  for (const d of r.devices) {
    const attrs = Object.entries(d.attributes).map(([k, v]) => `${k}=${v}`).join(' ');
    out.push(`  ${d.id} (${d.protocol})  ${attrs}  last seen ${d.lastSeen}`);
    for (const w of d.whyNot) if (w.reason) out.push(`    not offered: ${w.reason}`);
  }
  out.push('', `sessions (${shown(r.sessions, r.totals?.sessions)})`);
  for (const s of r.sessions) {
    const pct = Math.round(s.progress * 100);
    out.push(`  ${s.id}  device ${s.deviceId}  deployment ${s.deploymentId}  ${s.state}  ${pct}% (${s.bytesServed}/${s.size} bytes)${s.slow ? '  SLOW' : ''}${s.throughputBps ? `  ${Math.round(s.throughputBps / 1000)} kbps` : ''}`);
    if (s.failureReason) out.push(`    ${s.failureReason}`);
    // A stress or rollback release succeeds but runs another version than its label: say so.
    if (s.version && s.version.verdict !== 'label') out.push(`    ${s.version.verdict === 'unreported' ? '' : 'VERSION: '}${s.version.summary}`);
  }
  // Device ids, attributes and feedback are the devices' own words: escape codes among them
  // (clear screen, window title, clipboard writes) are shown, never run by the terminal.
  return out.map(escapeControlChars).join('\n') + '\n';
}
