import type { ImageFormat } from '../image/inspectImage';
import { compareMcubootVersions, formatMcubootVersion, parseMcubootVersion } from '../image/mcubootVersion';

/** What the device runs now, as far as the tool knows (the latest release, or what the user says). */
export interface RunningVersion {
  embeddedVersion: string;
  secureVersion?: number;
  /** Where this came from, for the message: "latest release 1.0.1", "--device-version". */
  source: string;
}

export interface AcceptanceRule {
  /** Who compares: "ESP-IDF OTA example", "ESP-IDF anti-rollback", "MCUboot downgrade prevention". */
  rule: string;
  accepts: boolean;
  reason: string;
}

export interface DevicePrediction {
  /** What the device will report after installing this image. */
  willReport: string;
  /** True when the label and the embedded version differ, so server and device will disagree. */
  labelMismatch: boolean;
  rules: AcceptanceRule[];
  refused: boolean;
}

/**
 * Predicts how a device that compares embedded versions treats an image. The rules modelled are
 * the ones devices really apply: the ESP-IDF OTA examples skip an image whose esp_app_desc_t
 * version equals the running one; ESP-IDF anti-rollback refuses a lower secure_version; MCUboot
 * with downgrade prevention refuses a header version lower than the running image's (equal passes;
 * the build number is ignored unless the bootloader is built to compare it).
 */
export function predictDevice(
  format: ImageFormat,
  image: { embeddedVersion: string; secureVersion?: number },
  label: string,
  running: RunningVersion | undefined,
): DevicePrediction {
  const rules: AcceptanceRule[] = [];
  const willReport = image.embeddedVersion;
  const labelMismatch = !sameVersion(format, label, willReport);
  if (running && format === 'esp-idf') {
    const same = image.embeddedVersion === running.embeddedVersion;
    rules.push({
      rule: 'ESP-IDF OTA example (version check)',
      accepts: !same,
      reason: same ? `the image version "${image.embeddedVersion}" equals the running one (${running.source}); the device skips it` : `"${image.embeddedVersion}" differs from the running "${running.embeddedVersion}" (${running.source})`,
    });
    if (image.secureVersion !== undefined && running.secureVersion !== undefined) {
      const lower = image.secureVersion < running.secureVersion;
      rules.push({
        rule: 'ESP-IDF anti-rollback (secure_version)',
        accepts: !lower,
        reason: lower
          ? `secure_version ${image.secureVersion} is below the device's ${running.secureVersion}; the bootloader refuses it`
          : `secure_version ${image.secureVersion} >= ${running.secureVersion}`,
      });
    }
  }
  if (running && format === 'mcuboot') {
    const cmp = compareMcubootVersions(parseMcubootVersion(image.embeddedVersion), parseMcubootVersion(running.embeddedVersion));
    rules.push({
      rule: 'MCUboot downgrade prevention',
      accepts: cmp >= 0,
      reason:
        cmp < 0
          ? `header version ${image.embeddedVersion} is lower than the running ${running.embeddedVersion} (${running.source}); the bootloader refuses the swap`
          : `header version ${image.embeddedVersion} is not lower than the running ${running.embeddedVersion}`,
    });
  }
  return { willReport, labelMismatch, rules, refused: rules.some((r) => !r.accepts) };
}

/** The embedded version a label would be stamped as: MCUboot needs MAJOR.MINOR.REVISION+BUILD. */
export function embeddedVersionForLabel(format: ImageFormat, label: string): string {
  if (format !== 'mcuboot') return label;
  const core = /^v?(\d+)\.(\d+)\.(\d+)(?:-[0-9A-Za-z.-]+)?(?:\+(\d+))?/.exec(label);
  return core ? formatMcubootVersion(parseMcubootVersion(`${core[1]}.${core[2]}.${core[3]}${core[4] ? `+${core[4]}` : ''}`)) : label;
}

function sameVersion(format: ImageFormat, label: string, embedded: string): boolean {
  if (format === 'mcuboot') return embeddedVersionForLabel(format, label) === embedded;
  return label === embedded || label.replace(/^v/, '') === embedded.replace(/^v/, '');
}
