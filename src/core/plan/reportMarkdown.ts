import type { DeviceCycle, RunReport } from './runReport';
import { deviceResults, runTitle } from './runReport';

/** report.md: the same figures as report.json, for a pull request or a chat message. */
export function renderReportMarkdown(r: RunReport): string {
  const out: string[] = [];
  out.push(`# ${runTitle(r.kind)} ${r.id}`, '');
  out.push(`- channel **${r.channel.name}** (pid ${r.channel.pid}, firmware key ${r.channel.firmwareKey}, ${r.channel.format})`);
  out.push(`- server ${r.server.name} (${r.server.kind}${r.server.version ? ` ${r.server.version}` : ''})${r.server.offlineTimeoutMs !== undefined ? `, offline timeout ${r.server.offlineTimeoutMs / 1000} s` : ''}`);
  out.push(`- ${r.tool.name} ${r.tool.version}; ${r.startedAt} → ${r.endedAt}${r.complete ? '' : ` — **stopped early**: ${r.stoppedBecause ?? 'cancelled'}`}`);
  out.push(`- image: ${r.versions.source}, embedded version ${r.versions.embedded}; labels ${r.versions.labels.join(', ') || '(none yet)'}`);
  out.push(`- parameters: ${Object.entries(r.parameters).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`).join(', ')}`);
  out.push(`- the seed's limits: ${r.limits.offlineSeconds} s offline window, ${r.limits.minKbps} kbps minimum`, '');
  if (r.versions.labels.length && r.kind === 'stress') {
    out.push(`A stress release is the same image under a new label, so devices keep reporting ${r.versions.embedded}: "runs the version inside the image" is the expected outcome, not a failure.`, '');
  }
  if (r.rollback) out.push(...rollbackSection(r), '');
  if (r.rollout) out.push(...rolloutSection(r), '');
  // A rollout's cycles are its deployments: one per group, one more per retry.
  out.push(r.rollout ? '## Deployments' : '## Cycles', '', `| cycle | label | ${deviceResults.join(' | ')} |`, `|---|---|${deviceResults.map(() => '---:').join('|')}|`);
  for (const c of r.cycles) out.push(`| ${c.cycle}${c.group ? ` (${c.group})` : ''} | ${c.label} | ${deviceResults.map((k) => c.counts[k]).join(' | ')} |`);
  out.push('', '## Devices', '', '| cycle | device | result | s | bytes | sent twice | resumes | offline s | mean kbps | min kbps | version |', '|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const d of r.results) out.push(row(d));
  const notes = r.results.filter((d) => d.reason);
  if (notes.length) {
    out.push('', '## Reasons', '');
    for (const d of notes) out.push(`- cycle ${d.cycle}, ${d.deviceId}: ${d.result} — ${d.reason}`);
  }
  return out.join('\n') + '\n';
}

function row(d: DeviceCycle): string {
  const n = (v: number | undefined, digits = 1) => (v === undefined ? '' : v.toFixed(digits));
  return `| ${d.cycle} | ${d.deviceId} | ${d.result} | ${n(d.durationMs === undefined ? undefined : d.durationMs / 1000)} | ${d.bytes} | ${d.bytesTwice} | ${d.resumes} | ${n(d.offlineMs / 1000)} | ${n(d.meanKbps)} | ${n(d.minKbps)} | ${d.versionNote.replace(/\|/g, '\\|')} |`;
}

function rollbackSection(r: RunReport): string[] {
  const rb = r.rollback!;
  const out = [`## Rollback to ${rb.to} as ${rb.label}`, '', `Image: embedded ${rb.embeddedVersion}${rb.secureVersion !== undefined ? `, secure_version ${rb.secureVersion}` : ''}${rb.securityCounter !== undefined ? `, security counter ${rb.securityCounter}` : ''}.`, ''];
  out.push('| device | predicted | outcome | as predicted | why | dashboard |', '|---|---|---|---|---|---|');
  for (const p of rb.predictions) {
    const o = rb.outcomes.find((x) => x.deviceId === p.deviceId);
    const why = [...p.rules.filter((x) => !x.accepts).map((x) => `${x.rule}: ${x.reason}`), ...p.unknowns].join('; ') || 'no check stops it';
    out.push(`| ${p.deviceId} | ${p.verdict} | ${o?.actual ?? 'not deployed'} | ${o?.matches === undefined ? '—' : o.matches ? 'yes' : '**no**'} | ${why.replace(/\|/g, '\\|')} | ${p.dashboard.replace(/\|/g, '\\|')} |`);
  }
  return out;
}

function rolloutSection(r: RunReport): string[] {
  const ro = r.rollout!;
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const out = [
    `## Staged rollout ${ro.name} (id ${ro.id}) of ${ro.label}`,
    '',
    `${ro.groups.length} groups; success threshold ${ro.successThreshold}%, error threshold ${ro.errorThreshold}%, advance ${ro.advance}. Ended **${ro.state}**${ro.reason ? `: ${ro.reason}` : ''}.`,
    '',
    '| group | devices | state | succeeded | failed | running | pending | deployments |',
    '|---|---|---|---:|---:|---:|---:|---|',
  ];
  for (const g of ro.groups) out.push(`| ${g.name} | ${g.devices.join(', ')} | ${g.state} | ${g.counts.succeeded} | ${g.counts.failed} | ${g.counts.running} | ${g.counts.pending} | ${g.deploymentIds.join(', ')} |`);
  out.push('', '### Timeline', '', '| at | rollout | groups | why / what the run did |', '|---|---|---|---|');
  for (const t of ro.timeline) out.push(`| ${t.at} | ${t.state} | ${t.groups.join(', ')} | ${cell([t.action, t.reason].filter(Boolean).join(' — '))} |`);
  return out;
}
