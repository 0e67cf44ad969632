/** Small formatters shared by the sections. */
import * as l10n from '@vscode/l10n';

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KiB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}

export function bitsPerSecond(bps: number): string {
  return bps >= 1_000_000 ? `${(bps / 1_000_000).toFixed(1)} Mbps` : `${Math.round(bps / 1000)} kbps`;
}

/** One formatter for the page: `toLocaleTimeString` builds a new one per call, milliseconds each across 2,000 console lines. */
let timeFormat: Intl.DateTimeFormat | undefined;

export function clock(iso: string | number): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  timeFormat ??= new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
  return timeFormat.format(d);
}

/** "3 s ago", "2 min ago": how long since the server last heard from a device. */
export function ago(iso: string, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (s < 60) return l10n.t('{0} s ago', s);
  if (s < 3600) return l10n.t('{0} min ago', Math.round(s / 60));
  return l10n.t('{0} h ago', Math.round(s / 3600));
}
