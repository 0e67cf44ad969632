import type { ImageFormat, ImageInfo } from '../image/inspectImage';
import { compareMcubootVersions, parseMcubootVersion } from '../image/mcubootVersion';
import { embeddedVersionOf } from '../verify/verifyFirmware';
import type { AcceptanceRule } from '../version/deviceAcceptance';

/** What a rollback release carries, read from its image. */
export interface RollbackImage {
  format: ImageFormat;
  /** The server-side label (higher than anything released: 1.0.0 bytes as 1.0.2). */
  label: string;
  embeddedVersion: string;
  /** ESP-IDF esp_app_desc_t.secure_version. */
  secureVersion?: number;
  /** MCUboot security counter TLV. */
  securityCounter?: number;
}

/** What one device runs, as far as the server and the release history tell. */
export interface DeviceFacts {
  id: string;
  /** The version the device reports (configData `version`): the one inside its running image. */
  running?: string;
  secureVersion?: number;
  securityCounter?: number;
  /** Where the secure version / counter came from, for the message ("release 1.1.0 it installed"). */
  source: string;
}

/** `installs`: nothing the device checks stops it; `refused`: a rule stops it; `unknown`: too little is known. */
export type RollbackVerdict = 'installs' | 'refused' | 'unknown';

export interface DeviceRollbackPrediction {
  deviceId: string;
  verdict: RollbackVerdict;
  rules: AcceptanceRule[];
  /** Rules that could not be decided, and what is missing. */
  unknowns: string[];
  /** What the device will report running afterwards. */
  willRun?: string;
  /** What a dashboard comparing the reported version with the label shows (the seed's "failed update"). */
  dashboard: string;
}

/** Reads the rollback-relevant facts of a release image. */
export function rollbackImageOf(info: ImageInfo, label: string): RollbackImage {
  const embedded = embeddedVersionOf(info) ?? label;
  if (info.format === 'esp-idf') return { format: info.format, label, embeddedVersion: embedded, ...(info.appDescription ? { secureVersion: info.appDescription.secureVersion } : {}) };
  if (info.format === 'mcuboot') return { format: info.format, label, embeddedVersion: embedded, ...(info.securityCounter !== undefined ? { securityCounter: info.securityCounter } : {}) };
  return { format: info.format, label, embeddedVersion: embedded };
}

/**
 * Whether a device will install a rollback release, by the checks devices really make: the ESP-IDF
 * OTA examples skip an image whose version equals the running one; ESP-IDF anti-rollback refuses a
 * lower secure_version; MCUboot with downgrade prevention refuses a lower header version, and with
 * hardware rollback protection a lower security counter. A raw image carries nothing to compare.
 * The seed adds what people see: a rollback that installs still runs the old version, so an app
 * comparing the reported version with the label shows a failed update.
 */
export function predictRollback(image: RollbackImage, device: DeviceFacts): DeviceRollbackPrediction {
  const rules: AcceptanceRule[] = [];
  const unknowns: string[] = [];
  if (image.format === 'esp-idf') espIdfRules(image, device, rules, unknowns);
  else if (image.format === 'mcuboot') mcubootRules(image, device, rules, unknowns);
  const refused = rules.some((r) => !r.accepts);
  const verdict: RollbackVerdict = refused ? 'refused' : unknowns.length > 0 ? 'unknown' : 'installs';
  const willRun = refused ? device.running : image.embeddedVersion;
  return { deviceId: device.id, verdict, rules, unknowns, ...(willRun !== undefined ? { willRun } : {}), dashboard: dashboardFor(image, verdict, willRun) };
}

function espIdfRules(image: RollbackImage, device: DeviceFacts, rules: AcceptanceRule[], unknowns: string[]): void {
  if (device.running === undefined) unknowns.push('the device has not reported the version it runs');
  else {
    const same = device.running === image.embeddedVersion;
    rules.push({
      rule: 'ESP-IDF OTA example (version check)',
      accepts: !same,
      reason: same ? `the image version "${image.embeddedVersion}" equals the one the device runs; the device skips it` : `"${image.embeddedVersion}" differs from the running "${device.running}"`,
    });
  }
  if (image.secureVersion === undefined) return;
  if (device.secureVersion === undefined) {
    unknowns.push(`the device's secure_version is unknown (${device.source}); anti-rollback refuses the image if it is above ${image.secureVersion}`);
    return;
  }
  const lower = image.secureVersion < device.secureVersion;
  rules.push({
    rule: 'ESP-IDF anti-rollback (secure_version)',
    accepts: !lower,
    reason: lower
      ? `secure_version ${image.secureVersion} is below the device's ${device.secureVersion} (${device.source}); the bootloader refuses it`
      : `secure_version ${image.secureVersion} is not below the device's ${device.secureVersion} (${device.source})`,
  });
}

function mcubootRules(image: RollbackImage, device: DeviceFacts, rules: AcceptanceRule[], unknowns: string[]): void {
  if (device.running === undefined) unknowns.push('the device has not reported the version it runs');
  else {
    const cmp = compareMcubootVersions(parseMcubootVersion(image.embeddedVersion), parseMcubootVersion(device.running));
    rules.push({
      rule: 'MCUboot downgrade prevention',
      accepts: cmp >= 0,
      reason: cmp < 0 ? `header version ${image.embeddedVersion} is lower than the running ${device.running}; the bootloader refuses the swap` : `header version ${image.embeddedVersion} is not lower than the running ${device.running}`,
    });
  }
  if (device.securityCounter === undefined) return;
  // No counter TLV counts as 0, which is below any counter a device has stored.
  const counter = image.securityCounter ?? 0;
  const lower = counter < device.securityCounter;
  rules.push({
    rule: 'MCUboot security counter (hardware rollback protection)',
    accepts: !lower,
    reason: lower
      ? `the image's security counter ${counter}${image.securityCounter === undefined ? ' (no counter TLV)' : ''} is below the device's ${device.securityCounter} (${device.source}); the bootloader refuses it`
      : `security counter ${counter} is not below the device's ${device.securityCounter} (${device.source})`,
  });
}

function dashboardFor(image: RollbackImage, verdict: RollbackVerdict, willRun: string | undefined): string {
  if (verdict === 'refused') return `failed update: the device refuses release ${image.label} and keeps running ${willRun ?? 'its current image'}`;
  if (verdict === 'unknown') return `unknown: if it installs, the device runs ${image.embeddedVersion}, not ${image.label}`;
  if (image.format === 'raw' || willRun === image.label) return `succeeded: the device runs ${image.label}`;
  return `failed update on dashboards that compare labels: the device installs it but reports ${willRun}, not the label ${image.label} (as the seed says of a rollback)`;
}

/** One line per device for terminals and reports. */
export function describeRollbackPrediction(p: DeviceRollbackPrediction): string {
  const rules = p.rules.map((r) => `${r.rule}: ${r.accepts ? 'accepts' : 'REFUSES'} (${r.reason})`);
  return [`${p.deviceId}: ${p.verdict.toUpperCase()}`, ...rules, ...p.unknowns.map((u) => `unknown: ${u}`), `dashboard: ${p.dashboard}`].join('\n    ');
}
