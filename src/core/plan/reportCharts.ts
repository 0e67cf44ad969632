import type { DeviceResult, RunReport } from './runReport';
import { deviceResults } from './runReport';

/** Inline SVG charts for report.html: no script, no external resource, readable printed. */

export const resultColours: Record<DeviceResult, string> = {
  succeeded: '#2e7d32',
  failed: '#c62828',
  refused: '#6a1b9a',
  cancelled: '#757575',
  'timed-out': '#ef6c00',
  'not-offered': '#1565c0',
};

const limitColour = '#d81b60';
const width = 640;

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function svg(id: string, title: string, height: number, body: string[]): string {
  return `<svg id="${id}" class="chart" role="img" aria-label="${escapeXml(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg"><title>${escapeXml(title)}</title>${body.join('')}</svg>`;
}

export function text(x: number, y: number, s: string, extra = ''): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${extra}>${escapeXml(s)}</text>`;
}

export function rect(x: number, y: number, w: number, h: number, fill: string, tip: string): string {
  return `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${Math.max(0, w).toFixed(1)}" height="${Math.max(0, h).toFixed(1)}" fill="${fill}"><title>${escapeXml(tip)}</title></rect>`;
}

export function line(x1: number, y1: number, x2: number, y2: number, colour: string, dashed = false): string {
  return `<line x1="${x1.toFixed(1)}" y1="${y1.toFixed(1)}" x2="${x2.toFixed(1)}" y2="${y2.toFixed(1)}" stroke="${colour}" stroke-width="${dashed ? 2 : 1}"${dashed ? ' stroke-dasharray="6 4"' : ''}/>`;
}

/** Stacked bar per cycle: how many devices ended each way. */
export function cycleChart(r: RunReport): string {
  const left = 40;
  const top = 20;
  const plotH = 180;
  const n = Math.max(1, r.cycles.length);
  // A rollout's deployments each reach one group, not every device: scale by the largest cycle.
  const max = Math.max(1, ...r.cycles.map(total));
  const slot = (width - left - 10) / n;
  const body: string[] = [line(left, top, left, top + plotH, '#999'), line(left, top + plotH, width - 10, top + plotH, '#999'), text(4, top + 8, String(max), 'font-size="11"'), text(4, top + plotH, '0', 'font-size="11"')];
  r.cycles.forEach((c, i) => {
    let y = top + plotH;
    const x = left + i * slot + slot * 0.15;
    for (const k of deviceResults) {
      const h = (c.counts[k] / max) * plotH;
      if (h > 0) body.push(rect(x, y - h, slot * 0.7, h, resultColours[k], `cycle ${c.cycle} (${c.label}): ${c.counts[k]} ${k}`));
      y -= h;
    }
    body.push(text(x, top + plotH + 16, `${c.cycle}: ${c.label}`, 'font-size="11"'), text(x, y - 4, `${c.counts.succeeded}/${total(c)}`, 'font-size="11"'));
  });
  body.push(legend(top + plotH + 30));
  return svg('chart-cycles', 'Result per cycle', top + plotH + 50, body);
}

function total(c: RunReport['cycles'][number]): number {
  return deviceResults.reduce((sum, k) => sum + c.counts[k], 0);
}

function legend(y: number): string {
  let x = 10;
  return deviceResults
    .map((k) => {
      const s = `${rect(x, y - 9, 10, 10, resultColours[k], k)}${text(x + 14, y, k, 'font-size="11"')}`;
      x += 24 + k.length * 6.5;
      return s;
    })
    .join('');
}

/** Histogram of each device's mean rate per cycle on a log scale, with the seed's 20 kbps floor. */
export function kbpsChart(r: RunReport): string {
  const values = r.results.map((d) => d.meanKbps).filter((v): v is number => v !== undefined && v > 0);
  const left = 40;
  const top = 20;
  const plotH = 150;
  const plotW = width - left - 10;
  const lo = 0; // 1 kbps
  const hi = Math.max(3, Math.ceil(Math.log10(Math.max(...values, r.limits.minKbps * 10))));
  const binsPerDecade = 4;
  const bins = new Array<number>((hi - lo) * binsPerDecade).fill(0);
  for (const v of values) bins[Math.min(bins.length - 1, Math.max(0, Math.floor((Math.log10(v) - lo) * binsPerDecade)))]!++;
  const max = Math.max(1, ...bins);
  const bw = plotW / bins.length;
  const xOf = (kbps: number) => left + ((Math.log10(kbps) - lo) / (hi - lo)) * plotW;
  const body = [line(left, top + plotH, width - 10, top + plotH, '#999'), text(4, top + 8, String(max), 'font-size="11"')];
  bins.forEach((count, i) => {
    const h = (count / max) * plotH;
    const from = 10 ** (lo + i / binsPerDecade);
    const to = 10 ** (lo + (i + 1) / binsPerDecade);
    if (count) body.push(rect(left + i * bw + 1, top + plotH - h, bw - 2, h, '#1976d2', `${count} device-cycles at ${from.toFixed(0)}–${to.toFixed(0)} kbps`));
  });
  for (let d = lo; d <= hi; d++) body.push(text(xOf(10 ** d) - 10, top + plotH + 14, `${10 ** d}`, 'font-size="11"'));
  const floor = xOf(r.limits.minKbps);
  body.push(line(floor, top - 5, floor, top + plotH, limitColour, true), text(floor + 4, top + 6, `seed minimum ${r.limits.minKbps} kbps`, `font-size="11" fill="${limitColour}"`));
  body.push(text(left, top + plotH + 30, `mean kbps per device and cycle (log scale); ${values.length} measured, ${values.filter((v) => v < r.limits.minKbps).length} under the minimum`, 'font-size="11"'));
  return svg('chart-kbps', 'Download rate distribution', top + plotH + 40, body);
}

/** How many device-cycles needed 0, 1, 2… resumes. */
export function resumesChart(r: RunReport): string {
  const maxResumes = Math.max(0, ...r.results.map((d) => d.resumes));
  const counts = new Array<number>(maxResumes + 1).fill(0);
  for (const d of r.results) counts[d.resumes]!++;
  const left = 40;
  const top = 20;
  const plotH = 120;
  const max = Math.max(1, ...counts);
  const bw = Math.min(80, (width - left - 10) / counts.length);
  const body = [line(left, top + plotH, width - 10, top + plotH, '#999'), text(4, top + 8, String(max), 'font-size="11"')];
  counts.forEach((c, i) => {
    const h = (c / max) * plotH;
    body.push(rect(left + i * bw + 4, top + plotH - h, bw - 8, h, '#00897b', `${c} device-cycles with ${i} resume${i === 1 ? '' : 's'}`), text(left + i * bw + bw / 2 - 4, top + plotH + 14, String(i), 'font-size="11"'));
    if (c) body.push(text(left + i * bw + bw / 2 - 6, top + plotH - h - 3, String(c), 'font-size="11"'));
  });
  body.push(text(left, top + plotH + 30, `resumes per device and cycle; ${r.results.reduce((a, d) => a + d.bytesTwice, 0)} bytes fetched twice in all`, 'font-size="11"'));
  return svg('chart-resumes', 'Resume counts', top + plotH + 40, body);
}

/** Time offline mid-download per device-cycle against the seed's 60 s window (and the server's own). */
export function offlineChart(r: RunReport): string {
  const items = r.results.filter((d) => d.offlineMs > 0 || d.result === 'failed');
  const left = 40;
  const top = 20;
  const plotH = 140;
  const windowS = (r.server.offlineTimeoutMs ?? r.limits.offlineSeconds * 1000) / 1000;
  const maxS = Math.max(r.limits.offlineSeconds * 1.1, ...items.map((d) => d.offlineMs / 1000));
  const yOf = (s: number) => top + plotH - (s / maxS) * plotH;
  const bw = items.length ? Math.min(24, (width - left - 10) / items.length) : 24;
  const body = [line(left, top + plotH, width - 10, top + plotH, '#999'), text(4, top + 8, `${Math.round(maxS)} s`, 'font-size="11"')];
  items.forEach((d, i) => body.push(rect(left + i * bw + 1, yOf(d.offlineMs / 1000), bw - 2, top + plotH - yOf(d.offlineMs / 1000), resultColours[d.result], `${d.deviceId} cycle ${d.cycle}: ${(d.offlineMs / 1000).toFixed(1)} s offline, ${d.result}`)));
  const seed = yOf(r.limits.offlineSeconds);
  body.push(line(left, seed, width - 10, seed, limitColour, true), text(width - 200, seed - 4, `seed window ${r.limits.offlineSeconds} s`, `font-size="11" fill="${limitColour}"`));
  if (windowS !== r.limits.offlineSeconds) {
    const y = yOf(windowS);
    body.push(line(left, y, width - 10, y, '#f57c00', true), text(width - 200, y - 4, `this server's window ${windowS} s`, 'font-size="11" fill="#f57c00"'));
  }
  body.push(text(left, top + plotH + 16, items.length ? `time offline mid-download (${items.length} device-cycles with offline time or a failure)` : 'no device was offline mid-download', 'font-size="11"'));
  return svg('chart-offline', 'Time offline against the offline window', top + plotH + 26, body);
}

/** One row per device: each cycle's session from offer to outcome, coloured by result. */
export function timelineChart(r: RunReport, maxRows = 250): string {
  const devices = r.devices.slice(0, maxRows);
  const t0 = Date.parse(r.startedAt);
  const t1 = Math.max(Date.parse(r.endedAt), t0 + 1);
  const left = 90;
  const top = 10;
  const rowH = devices.length > 60 ? 5 : 14;
  const plotW = width - left - 10;
  const xOf = (t: number) => left + ((t - t0) / (t1 - t0)) * plotW;
  const body: string[] = [];
  devices.forEach((id, i) => {
    const y = top + i * rowH;
    if (rowH >= 10) body.push(text(2, y + rowH - 3, id.length > 13 ? `${id.slice(0, 12)}…` : id, 'font-size="10"'));
    for (const d of r.results) {
      if (d.deviceId !== id || !d.startedAt) continue;
      const a = xOf(Date.parse(d.startedAt));
      const b = d.endedAt ? xOf(Date.parse(d.endedAt)) : xOf(t1);
      body.push(rect(a, y + 1, Math.max(1.5, b - a), rowH - 2, resultColours[d.result], `${id} cycle ${d.cycle} (${d.label}): ${d.result}${d.durationMs !== undefined ? `, ${(d.durationMs / 1000).toFixed(1)} s` : ''}${d.offlineMs ? `, ${(d.offlineMs / 1000).toFixed(1)} s offline` : ''}`));
    }
  });
  const bottom = top + devices.length * rowH;
  body.push(line(left, bottom + 2, width - 10, bottom + 2, '#999'), text(left, bottom + 16, '0 s', 'font-size="11"'), text(width - 60, bottom + 16, `${((t1 - t0) / 1000).toFixed(0)} s`, 'font-size="11"'));
  // The seed's window as a scale bar, so a gap can be judged by eye.
  const windowW = Math.min(plotW, (r.limits.offlineSeconds * 1000 * plotW) / (t1 - t0));
  body.push(line(left, bottom + 24, left + windowW, bottom + 24, limitColour, true), text(left + Math.min(windowW, plotW - 150) + 4, bottom + 28, `${r.limits.offlineSeconds} s (seed offline window)`, `font-size="11" fill="${limitColour}"`));
  if (r.devices.length > devices.length) body.push(text(left, bottom + 44, `first ${devices.length} of ${r.devices.length} devices`, 'font-size="11"'));
  return svg('chart-timeline', 'Timeline per device', bottom + 50, body);
}
