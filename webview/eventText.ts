import type { Deployment, Device, Release, ServerEvent, UpdateSession } from '../src/core/protocol/management';
import { bytes } from './format';

interface Labels {
  releaseLabel(id: string): string;
}

/** One line for the event log, in words, with a tone for its colour. */
export function describeEvent(event: ServerEvent, labels: Labels): { text: string; tone: 'info' | 'good' | 'warn' | 'bad' } {
  const d = event.data as Record<string, unknown>;
  switch (event.type) {
    case 'release.created': {
      const r = d as unknown as Release;
      return { text: `release ${r.label} uploaded: ${r.filename}, ${bytes(r.size)} (PID ${r.pid}, key ${r.fwKey}, channel ${r.channel})`, tone: 'info' };
    }
    case 'release.deleted':
      return { text: `release ${String(d.id)} deleted`, tone: 'info' };
    case 'product.keys':
      return { text: `PID ${String(d.pid)} accepts keys ${(d.keys as string[]).join(', ')}`, tone: 'info' };
    case 'deployment.created': {
      const x = d as unknown as Deployment;
      const who = x.devices === 'all' ? 'every matching device' : x.devices.join(', ');
      return { text: `deployment ${x.id}: ${labels.releaseLabel(x.releaseId)} to ${who} (PID ${x.pid}, key ${x.fwKey}, channel ${x.channel})`, tone: 'info' };
    }
    case 'deployment.cancelled':
      return { text: `deployment ${String(d.id)} cancelled`, tone: 'warn' };
    case 'device.seen': {
      const x = d as unknown as Device;
      // Later contacts come as throttled device.seen events too; the view logs only the first.
      return { text: x.firstSeen === x.lastSeen ? `${x.id} contacted the server for the first time` : `${x.id} contacted the server`, tone: 'info' };
    }
    case 'device.attributes': {
      const x = d as unknown as Device;
      const a = x.attributes;
      return { text: `${x.id} reports pid ${a.pid ?? '–'}, fw_key ${a.fw_key ?? '–'}, channel ${a.channel ?? '–'}, version ${a.version ?? '–'}`, tone: 'info' };
    }
    case 'device.not-offered':
      return { text: `${String(d.deviceId)} not offered deployment ${String(d.deploymentId)}: ${String(d.reason)}`, tone: 'warn' };
    case 'device.not-offered-cleared':
      return { text: `${String(d.deviceId)} is offered deployment ${String(d.deploymentId)} now`, tone: 'good' };
    case 'session.updated': {
      const s = d as unknown as UpdateSession;
      // A stress or rollback release succeeds but runs another version than its label (the seed's app calls it failed).
      const offLabel = s.state === 'succeeded' && (s.version?.verdict === 'embedded' || s.version?.verdict === 'other');
      const tone = offLabel ? 'warn' : s.state === 'succeeded' ? 'good' : s.state === 'failed' ? 'bad' : s.state === 'cancelled' ? 'warn' : 'info';
      const why = s.state === 'failed' && s.failureReason ? `: ${s.failureReason}` : offLabel ? `: ${s.version!.summary}` : '';
      return { text: `${s.deviceId}: update to ${labels.releaseLabel(s.releaseId)} ${s.state}${why}`, tone };
    }
  }
}
