import { cycleChart, escapeXml, kbpsChart, offlineChart, resultColours, resumesChart, timelineChart } from './reportCharts';
import { rolloutHtml } from './reportRollout';
import type { DeviceCycle, RunReport } from './runReport';
import { deviceResults, runTitle } from './runReport';

export interface HtmlOptions {
  /** In a webview: the nonce its CSP allows the style element (and `script`) with. Standalone: inline styles, no script. */
  nonce?: string;
  /** In a webview: markup put before the report (e.g. an Export button), and a script run with the nonce. */
  toolbar?: string;
  script?: string;
}

const css = `body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;background:#fff;max-width:1100px}
h1{font-size:22px}h2{font-size:17px;margin-top:28px}table{border-collapse:collapse;font-size:12px}
td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}td.n{text-align:right}.warn{color:#c62828;font-weight:600}
.chart{display:block;margin:8px 0;max-width:100%;height:auto;background:#fafafa;border:1px solid #eee}
dl{display:grid;grid-template-columns:max-content auto;gap:2px 12px}dt{font-weight:600}
.dot{display:inline-block;width:10px;height:10px;margin-right:4px}`;

/** report.html: one file, no script, no external resource; opens offline and prints. */
export function renderReportHtml(r: RunReport, options: HtmlOptions = {}): string {
  const csp = options.nonce
    ? `default-src 'none'; style-src 'nonce-${options.nonce}'; img-src data:${options.script ? `; script-src 'nonce-${options.nonce}'` : ''}`
    : `default-src 'none'; style-src 'unsafe-inline'; img-src data:`;
  const e = escapeXml;
  const title = `${runTitle(r.kind)} ${r.id}`;
  const parts: string[] = [
    '<!DOCTYPE html>',
    `<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${csp}"><meta name="viewport" content="width=device-width,initial-scale=1">`,
    `<title>${e(title)}</title><style${options.nonce ? ` nonce="${e(options.nonce)}"` : ''}>${css}</style></head><body>`,
    options.toolbar ?? '',
    `<h1>${e(title)}</h1>`,
    r.complete ? '' : `<p class="warn">Stopped early: ${e(r.stoppedBecause ?? 'cancelled')}. The report holds what finished.</p>`,
    '<dl>',
    dl('channel', `${r.channel.name} (pid ${r.channel.pid}, firmware key ${r.channel.firmwareKey}, ${r.channel.format})`),
    dl('server', `${r.server.name} (${r.server.kind}${r.server.version ? ` ${r.server.version}` : ''})${r.server.offlineTimeoutMs !== undefined ? `, offline timeout ${r.server.offlineTimeoutMs / 1000} s` : ''}`),
    dl('image', `${r.versions.source}, embedded version ${r.versions.embedded}`),
    dl('labels', r.versions.labels.join(', ') || '(none)'),
    dl('run', `${r.startedAt} → ${r.endedAt}, ${r.devices.length} devices`),
    dl('parameters', Object.entries(r.parameters).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`).join(', ')),
    dl('tool', `${r.tool.name} ${r.tool.version}`),
    dl('limits (seed)', `${r.limits.offlineSeconds} s offline window, ${r.limits.minKbps} kbps minimum bandwidth`),
    '</dl>',
  ];
  if (r.kind === 'stress') {
    parts.push(`<p>A stress release is the same image under a new label: devices keep reporting ${e(r.versions.embedded)}. "Runs the version inside the image" is what a stress test expects, not a failure — though a dashboard comparing labels would show a failed update.</p>`);
  }
  if (r.rollback) parts.push(rollbackHtml(r));
  if (r.rollout) parts.push(rolloutHtml(r));
  // A rollout's cycles are its deployments: one per group, one more per retry.
  parts.push(r.rollout ? '<h2>Result per deployment</h2>' : '<h2>Result per cycle</h2>', cycleChart(r), cycleTable(r));
  parts.push('<h2>Download rate</h2>', kbpsChart(r));
  parts.push('<h2>Resumes</h2>', resumesChart(r));
  parts.push('<h2>Time offline</h2>', offlineChart(r));
  parts.push('<h2>Timeline per device</h2>', timelineChart(r));
  parts.push('<h2>Per device and cycle</h2>', deviceTable(r.results));
  if (options.nonce && options.script) parts.push(`<script nonce="${e(options.nonce)}">${options.script}</script>`);
  parts.push('</body></html>');
  return parts.join('\n');
}

function dl(term: string, value: string): string {
  return `<dt>${escapeXml(term)}</dt><dd>${escapeXml(value)}</dd>`;
}

function cycleTable(r: RunReport): string {
  const head = `<tr><th>cycle</th><th>label</th>${deviceResults.map((k) => `<th><span class="dot" title="${k}"><svg width="10" height="10"><rect width="10" height="10" fill="${resultColours[k]}"/></svg></span>${k}</th>`).join('')}</tr>`;
  const rows = r.cycles.map((c) => `<tr><td class="n">${c.cycle}</td><td>${c.group ? `${escapeXml(c.group)}: ` : ''}${escapeXml(c.label)}</td>${deviceResults.map((k) => `<td class="n">${c.counts[k]}</td>`).join('')}</tr>`);
  return `<table id="cycles">${head}${rows.join('')}</table>`;
}

function deviceTable(results: readonly DeviceCycle[]): string {
  const n = (v: number | undefined, digits = 1) => (v === undefined ? '' : v.toFixed(digits));
  const head = '<tr><th>cycle</th><th>device</th><th>result</th><th>s</th><th>bytes</th><th>sent twice</th><th>resumes</th><th>offline s</th><th>mean kbps</th><th>min kbps</th><th>version</th><th>reason</th></tr>';
  const rows = results.map(
    (d) =>
      `<tr><td class="n">${d.cycle}</td><td>${escapeXml(d.deviceId)}</td><td>${d.result}</td><td class="n">${n(d.durationMs === undefined ? undefined : d.durationMs / 1000)}</td><td class="n">${d.bytes}</td><td class="n">${d.bytesTwice}</td><td class="n">${d.resumes}</td><td class="n">${n(d.offlineMs / 1000)}</td><td class="n">${n(d.meanKbps)}</td><td class="n">${n(d.minKbps)}</td><td>${escapeXml(d.versionNote)}</td><td>${escapeXml(d.reason ?? '')}</td></tr>`,
  );
  return `<table id="devices">${head}${rows.join('')}</table>`;
}

function rollbackHtml(r: RunReport): string {
  const rb = r.rollback!;
  const rows = rb.predictions.map((p) => {
    const o = rb.outcomes.find((x) => x.deviceId === p.deviceId);
    const why = [...p.rules.filter((x) => !x.accepts).map((x) => `${x.rule}: ${x.reason}`), ...p.unknowns].join('; ') || 'no check stops it';
    const matches = o?.matches === undefined ? '—' : o.matches ? 'yes' : '<span class="warn">no</span>';
    return `<tr><td>${escapeXml(p.deviceId)}</td><td>${p.verdict}</td><td>${o?.actual ?? 'not deployed'}</td><td>${matches}</td><td>${escapeXml(why)}</td><td>${escapeXml(p.dashboard)}</td></tr>`;
  });
  const image = `embedded ${rb.embeddedVersion}${rb.secureVersion !== undefined ? `, secure_version ${rb.secureVersion}` : ''}${rb.securityCounter !== undefined ? `, security counter ${rb.securityCounter}` : ''}`;
  return `<h2>Rollback to ${escapeXml(rb.to)} as ${escapeXml(rb.label)}</h2><p>Image: ${escapeXml(image)}.</p><table id="rollback"><tr><th>device</th><th>predicted</th><th>outcome</th><th>as predicted</th><th>why</th><th>dashboard</th></tr>${rows.join('')}</table>`;
}
