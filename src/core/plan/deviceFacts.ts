import { ddiAttribute } from '../protocol/ddi';
import type { Device, Release, UpdateSession } from '../protocol/management';
import type { DeviceFacts } from './rollbackPrediction';

/** A release of the workspace, as far as rollback prediction needs it. */
export interface KnownRelease {
  label: string;
  embeddedVersion: string;
  secureVersion?: number;
  securityCounter?: number;
}

/**
 * What a device runs, with its anti-rollback state: what it reports (a `secure_version` or
 * `security_counter` attribute, when its firmware sends one), else the release it last installed
 * on this server, else the workspace release whose embedded version it reports. The bootloader's
 * stored value can only be higher than the image's own, so these are lower bounds — enough to
 * predict a refusal, which is what matters before a rollback.
 */
export function deviceFacts(device: Device, sessions: readonly UpdateSession[], serverReleases: readonly Release[], known: readonly KnownRelease[]): DeviceFacts {
  const running = device.attributes[ddiAttribute.version];
  const reportedSecure = wholeNumber(device.attributes['secure_version']);
  const reportedCounter = wholeNumber(device.attributes['security_counter']);
  const base = { id: device.id, ...(running !== undefined ? { running } : {}) };
  if (reportedSecure !== undefined || reportedCounter !== undefined) {
    return { ...base, ...(reportedSecure !== undefined ? { secureVersion: reportedSecure } : {}), ...(reportedCounter !== undefined ? { securityCounter: reportedCounter } : {}), source: 'reported by the device' };
  }
  const labels = new Map(serverReleases.map((r) => [r.id, r.label]));
  const installed = sessions
    .filter((s) => s.deviceId === device.id && s.state === 'succeeded')
    .sort((a, b) => Number(b.id) - Number(a.id))
    .map((s) => known.find((k) => k.label === labels.get(s.releaseId)))
    .find((k) => k !== undefined && (running === undefined || k.embeddedVersion === running));
  const release = installed ?? [...known].reverse().find((k) => running !== undefined && k.embeddedVersion === running);
  if (!release) return { ...base, source: running === undefined ? 'the device has not reported a version' : `no workspace release carries ${running}` };
  return {
    ...base,
    ...(release.secureVersion !== undefined ? { secureVersion: release.secureVersion } : {}),
    ...(release.securityCounter !== undefined ? { securityCounter: release.securityCounter } : {}),
    source: installed ? `release ${release.label} it installed` : `release ${release.label} carries the version it reports`,
  };
}

function wholeNumber(text: string | undefined): number | undefined {
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
}
