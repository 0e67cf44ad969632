import type { StatusReport } from '../../core/protocol/management';
import { OtaError } from '../../core/errors';
import type { ManagementClient } from '../../providers/ota/managementClient';
import { SseClient } from '../live/sseClient';

export interface DemoDevice {
  id: string;
  /** Whether the deployment is meant to reach it. */
  matching: boolean;
  role: string;
}

export interface DemoOutcome {
  /** The version inside the released image: what updated devices report. */
  embeddedVersion: string;
  updated: { id: string; version: string }[];
  notOffered: { id: string; reason: string }[];
}

/** A demo that does not finish in this time is reported as stuck, naming the devices that lag. */
const finishTimeoutMs = 5 * 60_000;

/**
 * Waits, on the server's event stream, until every matching device reports `version` and every
 * other device has a why-not record for the deployment. Each relevant event triggers one status read.
 */
export function watchOutcome(url: string, token: string, ca: string | undefined, client: ManagementClient, devices: DemoDevice[], deploymentId: string, version: string, signal: AbortSignal): Promise<DemoOutcome> {
  return new Promise<DemoOutcome>((resolve, reject) => {
    const stop = new AbortController();
    const both = AbortSignal.any([stop.signal, signal]);
    let latest: StatusReport | undefined;
    const settle = (err?: Error, outcome?: DemoOutcome) => {
      clearTimeout(timer);
      stop.abort();
      if (err) reject(err);
      else resolve(outcome!);
    };
    const timer = setTimeout(() => settle(new OtaError(`the demo did not finish in ${finishTimeoutMs / 60_000} minutes: ${lagging(latest, devices, version, deploymentId).join('; ')}`)), finishTimeoutMs);
    signal.addEventListener('abort', () => settle(new OtaError('the demo was stopped before it finished')), { once: true });
    let checking = false;
    let again = false;
    const check = async () => {
      if (checking) {
        again = true;
        return;
      }
      checking = true;
      try {
        do {
          again = false;
          latest = await client.status(both);
          if (lagging(latest, devices, version, deploymentId).length === 0) settle(undefined, outcome(latest, devices, deploymentId, version));
        } while (again && !both.aborted);
      } catch {
        // A failed read is retried on the next event.
      } finally {
        checking = false;
      }
    };
    new SseClient(url, token, { onOpen: () => void check(), onEvent: (e) => (e.type.startsWith('device.') || e.type === 'session.updated' ? void check() : undefined), onDrop: () => undefined }, ca).start(both);
  });
}

/** Devices not where the demo expects them yet: matching ones on the new version, the others with a why-not record. */
function lagging(status: StatusReport | undefined, devices: DemoDevice[], version: string, deploymentId: string): string[] {
  return devices.flatMap((d) => {
    const seen = status?.devices.find((s) => s.id === d.id);
    if (d.matching) return seen?.attributes.version === version ? [] : [`${d.id} reports ${seen?.attributes.version ?? 'nothing yet'}`];
    return seen?.whyNot.some((w) => w.deploymentId === deploymentId) ? [] : [`${d.id} has no why-not record yet`];
  });
}

function outcome(status: StatusReport, devices: DemoDevice[], deploymentId: string, embeddedVersion: string): DemoOutcome {
  const find = (id: string) => status.devices.find((s) => s.id === id);
  return {
    embeddedVersion,
    updated: devices.filter((d) => d.matching).map((d) => ({ id: d.id, version: find(d.id)?.attributes.version ?? '' })),
    notOffered: devices.filter((d) => !d.matching).map((d) => ({ id: d.id, reason: find(d.id)?.whyNot.find((w) => w.deploymentId === deploymentId)?.reason ?? '' })),
  };
}
