import type { RolloutCounts, RolloutStateName } from '../protocol/management';
import { escapeXml, line, rect, resultColours, svg, text } from './reportCharts';
import type { RunReport } from './runReport';

/** report.html's staged-rollout section: the groups, a chart of them, and the state timeline. */

const countColours: Record<Exclude<keyof RolloutCounts, 'total'>, string> = {
  succeeded: resultColours.succeeded,
  failed: resultColours.failed,
  running: resultColours['timed-out'],
  pending: '#bdbdbd',
};

const stateColours: Record<RolloutStateName, string> = {
  ready: '#757575',
  running: '#1565c0',
  waiting: '#6a1b9a',
  paused: '#c62828',
  finished: '#2e7d32',
  cancelled: '#757575',
};

const width = 640;

/** One bar per group, split by where its devices stand at the end, and the rollout's states over time. */
export function rolloutChart(r: RunReport): string {
  const ro = r.rollout!;
  const left = 80;
  const top = 10;
  const rowH = 22;
  const plotW = width - left - 150;
  const max = Math.max(1, ...ro.groups.map((g) => g.counts.total));
  const body: string[] = [];
  ro.groups.forEach((g, i) => {
    const y = top + i * rowH;
    body.push(text(4, y + 15, g.name, 'font-size="11"'));
    let x = left;
    for (const k of ['succeeded', 'failed', 'running', 'pending'] as const) {
      const w = (g.counts[k] / max) * plotW;
      if (w > 0) body.push(rect(x, y + 3, w, rowH - 6, countColours[k], `${g.name}: ${g.counts[k]} ${k} of ${g.counts.total}`));
      x += w;
    }
    body.push(text(left + plotW + 8, y + 15, `${g.state}: ${g.counts.succeeded}/${g.counts.total} run it`, 'font-size="11"'));
  });
  // The timeline: one mark per change, from the first to the last.
  const y = top + ro.groups.length * rowH + 24;
  const times = ro.timeline.map((t) => Date.parse(t.at));
  const t0 = times[0] ?? Date.parse(r.startedAt);
  const t1 = Math.max((times.at(-1) ?? t0) + 1, t0 + 1);
  const xOf = (t: number) => left + ((t - t0) / (t1 - t0)) * plotW;
  body.push(text(4, y + 4, 'states', 'font-size="11"'), line(left, y, left + plotW, y, '#999'));
  let labelled = -Infinity;
  ro.timeline.forEach((t, i) => {
    const x = xOf(times[i]!);
    const tip = `${t.at}: ${t.state}${t.action ? ` — ${t.action}` : ''}${t.reason ? ` — ${t.reason}` : ''}`;
    body.push(`<circle cx="${x.toFixed(1)}" cy="${y}" r="5" fill="${stateColours[t.state]}"><title>${escapeXml(tip)}</title></circle>`);
    // Labels only where they do not overlap the previous one.
    if (x - labelled > 60) {
      body.push(text(x - 4, y + (i % 2 ? 28 : 18), t.action === 'resumed' ? 'resumed' : t.state, `font-size="10" fill="${stateColours[t.state]}"`));
      labelled = x;
    }
  });
  body.push(text(left, y + 44, `${((t1 - t0) / 1000).toFixed(0)} s from start to the last change; error threshold ${ro.errorThreshold}%, success threshold ${ro.successThreshold}%`, 'font-size="11"'));
  return svg('chart-rollout', 'Rollout groups and states', y + 54, body);
}

export function rolloutHtml(r: RunReport): string {
  const ro = r.rollout!;
  const e = escapeXml;
  const groups = ro.groups.map(
    (g) =>
      `<tr><td>${e(g.name)}</td><td>${e(g.devices.join(', '))}</td><td>${g.state}</td><td class="n">${g.counts.succeeded}</td><td class="n">${g.counts.failed}</td><td class="n">${g.counts.running}</td><td class="n">${g.counts.pending}</td><td>${e(g.deploymentIds.join(', '))}</td></tr>`,
  );
  const timeline = ro.timeline.map((t) => `<tr><td>${e(t.at)}</td><td>${t.state}</td><td>${e(t.groups.join(', '))}</td><td>${e([t.action, t.reason].filter(Boolean).join(' — '))}</td></tr>`);
  return [
    `<h2>Staged rollout ${e(ro.name)} (id ${e(ro.id)}) of ${e(ro.label)}</h2>`,
    `<p>${ro.groups.length} groups; success threshold ${ro.successThreshold}%, error threshold ${ro.errorThreshold}%, advance ${ro.advance}. Ended <b>${ro.state}</b>${ro.reason ? `: ${e(ro.reason)}` : ''}.</p>`,
    rolloutChart(r),
    `<table id="rollout-groups"><tr><th>group</th><th>devices</th><th>state</th><th>succeeded</th><th>failed</th><th>running</th><th>pending</th><th>deployments</th></tr>${groups.join('')}</table>`,
    `<h3>Timeline</h3><table id="rollout-timeline"><tr><th>at</th><th>rollout</th><th>groups</th><th>why / what the run did</th></tr>${timeline.join('')}</table>`,
  ].join('\n');
}
