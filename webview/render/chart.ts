import * as l10n from '@vscode/l10n';
import { h } from '../dom';
import { bitsPerSecond } from '../format';
import type { SessionSample } from '../sessionSamples';

const svgNs = 'http://www.w3.org/2000/svg';
/** The drawing's own units; the SVG stretches to the card's width. */
const width = 300;
const height = 60;

function svg(tag: string, attrs: Record<string, string | number>): SVGElement {
  const el = document.createElementNS(svgNs, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

/** What the chart shows, in words: for screen readers and for anyone who would rather read. */
export function chartSummary(samples: readonly SessionSample[]): string {
  const first = samples[0]!;
  const last = samples.at(-1)!;
  const seconds = Math.round((last.t - first.t) / 1000);
  const progress = l10n.t('Progress {0}% → {1}% in {2} s', Math.round(first.progress * 100), Math.round(last.progress * 100), seconds);
  const rates = samples.flatMap((s) => (s.bps ? [s.bps] : []));
  if (!rates.length) return progress;
  const now = last.bps ?? rates.at(-1)!;
  return `${progress}; ${l10n.t('{0} to {1}, now {2}', bitsPerSecond(Math.min(...rates)), bitsPerSecond(Math.max(...rates)), bitsPerSecond(now))}`;
}

/**
 * A session's progress (solid, 0–100 %) and throughput (dashed, 0 to its peak) over time, as inline
 * SVG in the theme's chart colours. Two lines told apart by dash as well as colour; the text
 * summary under it says the same in words.
 */
export function sessionChart(samples: readonly SessionSample[], label: string): HTMLElement | undefined {
  if (samples.length < 2) return undefined;
  const t0 = samples[0]!.t;
  const span = Math.max(1, samples.at(-1)!.t - t0);
  const x = (t: number) => ((t - t0) / span) * width;
  const peak = Math.max(0, ...samples.map((s) => s.bps ?? 0));
  const line = (values: [number, number][]) => values.map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`).join(' ');
  const progress = samples.map((s): [number, number] => [x(s.t), height - s.progress * height]);
  const rate = peak > 0 ? samples.filter((s) => s.bps !== undefined).map((s): [number, number] => [x(s.t), height - (s.bps! / peak) * height * 0.95]) : [];
  const summary = chartSummary(samples);
  const chart = svg('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: 'none', role: 'img', 'aria-label': `${label}: ${summary}` });
  chart.append(
    svg('line', { class: 'chart-axis', x1: 0, y1: height, x2: width, y2: height }),
    svg('polyline', { class: 'chart-progress', points: line(progress), 'data-points': progress.length }),
    ...(rate.length > 1 ? [svg('polyline', { class: 'chart-rate', points: line(rate), 'data-points': rate.length })] : []),
  );
  return h(
    'figure',
    { class: 'session-chart' },
    chart,
    h(
      'figcaption',
      { class: 'chart-summary' },
      h('span', { class: 'key key-progress', 'aria-hidden': 'true' }),
      l10n.t('progress'),
      rate.length > 1 ? h('span', { class: 'key key-rate', 'aria-hidden': 'true' }) : undefined,
      rate.length > 1 ? l10n.t('throughput') : undefined,
      ' · ',
      summary,
    ),
  );
}
