import type { Deployment, Device, Release, RolloutSummary, ServerEvent, UpdateSession } from '../src/core/protocol/management';
import * as l10n from '@vscode/l10n';
import { bytes } from './format';
import { stateWord } from './stateWords';

interface Labels {
  releaseLabel(id: string): string;
}

/** One line for the event log, in words, with a tone for its colour. */
export function describeEvent(event: ServerEvent, labels: Labels): { text: string; tone: 'info' | 'good' | 'warn' | 'bad' } {
  const d = event.data as Record<string, unknown>;
  switch (event.type) {
    case 'release.created': {
      const r = d as unknown as Release;
      return { text: l10n.t('release {0} uploaded: {1}, {2} (PID {3}, key {4}, channel {5})', r.label, r.filename, bytes(r.size), r.pid, r.fwKey, r.channel), tone: 'info' };
    }
    case 'release.deleted':
      return { text: l10n.t('release {0} deleted', String(d.id)), tone: 'info' };
    case 'product.keys':
      return { text: l10n.t('PID {0} accepts keys {1}', String(d.pid), (d.keys as string[]).join(', ')), tone: 'info' };
    case 'deployment.created': {
      const x = d as unknown as Deployment;
      const who = x.devices === 'all' ? l10n.t('every matching device') : x.devices.join(', ');
      return { text: l10n.t('deployment {0}: {1} to {2} (PID {3}, key {4}, channel {5})', x.id, labels.releaseLabel(x.releaseId), who, x.pid, x.fwKey, x.channel), tone: 'info' };
    }
    case 'deployment.cancelled':
      return { text: l10n.t('deployment {0} cancelled', String(d.id)), tone: 'warn' };
    case 'device.seen': {
      const x = d as unknown as Device;
      // Later contacts come as throttled device.seen events too; the view logs only the first.
      return { text: x.firstSeen === x.lastSeen ? l10n.t('{0} contacted the server for the first time', x.id) : l10n.t('{0} contacted the server', x.id), tone: 'info' };
    }
    case 'device.attributes': {
      const x = d as unknown as Device;
      const a = x.attributes;
      return { text: l10n.t('{0} reports pid {1}, fw_key {2}, channel {3}, version {4}', x.id, a.pid ?? '–', a.fw_key ?? '–', a.channel ?? '–', a.version ?? '–'), tone: 'info' };
    }
    case 'device.not-offered':
      return { text: l10n.t('{0} not offered deployment {1}: {2}', String(d.deviceId), String(d.deploymentId), String(d.reason)), tone: 'warn' };
    case 'device.not-offered-cleared':
      return { text: l10n.t('{0} is offered deployment {1} now', String(d.deviceId), String(d.deploymentId)), tone: 'good' };
    case 'session.updated': {
      const s = d as unknown as UpdateSession;
      // A stress or rollback release succeeds but runs another version than its label (the seed's app calls it failed).
      const offLabel = s.state === 'succeeded' && (s.version?.verdict === 'embedded' || s.version?.verdict === 'other');
      const tone = offLabel ? 'warn' : s.state === 'succeeded' ? 'good' : s.state === 'failed' ? 'bad' : s.state === 'cancelled' ? 'warn' : 'info';
      const why = s.state === 'failed' && s.failureReason ? `: ${s.failureReason}` : offLabel ? `: ${s.version!.summary}` : '';
      return { text: l10n.t('{0}: update to {1} {2}', s.deviceId, labels.releaseLabel(s.releaseId), stateWord(s.state)) + why, tone };
    }
    case 'rollout.created':
    case 'rollout.started':
    case 'rollout.group-started':
    case 'rollout.group-succeeded':
    case 'rollout.waiting':
    case 'rollout.paused':
    case 'rollout.resumed':
    case 'rollout.finished':
    case 'rollout.cancelled':
    case 'rollout.deleted':
    case 'rollout.progress': {
      const r = d as unknown as Partial<RolloutSummary>;
      const c = r.counts;
      const counts = c ? l10n.t('{0} of {1} succeeded, {2} failed', c.succeeded, c.total, c.failed) : '';
      const tone = r.state === 'paused' || r.state === 'cancelled' ? 'warn' : r.state === 'finished' ? 'good' : 'info';
      return { text: l10n.t('rollout {0} {1}: {2}', r.name ?? String(r.id), event.type.slice('rollout.'.length), r.reason ?? counts), tone };
    }
  }
}
