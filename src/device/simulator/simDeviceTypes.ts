import type { Fault } from './faults';

/**
 * The simulated device's options, phases and counters: shared by the device and the protocol
 * clients it runs (arduinoUpdate.ts), which therefore do not import the device itself.
 */

/** How the device's OTA code and bootloader judge an incoming image. */
export type DeviceBehaviour =
  /** Installs whatever verifies (most custom OTA code). */
  | 'plain'
  /** ESP-IDF OTA examples: refuse an image whose embedded version equals the running one, or a lower secure_version. */
  | 'esp-idf'
  /** MCUboot with downgrade prevention: the bootloader refuses a lower image version. */
  | 'mcuboot';

export interface SimDeviceOptions {
  id: string;
  /** Origin of the OTA server, e.g. http://127.0.0.1:8080. */
  server: string;
  tenant?: string;
  pid: string;
  fwKey: string;
  channel: string;
  /** Directory for this device's flash (two slots and the boot record). */
  dir: string;
  /** What slot 0 holds at first start; a synthetic ESP-IDF image stamped `version` when absent. */
  factoryImage?: Buffer;
  /** The version to stamp into the synthetic factory image (default 1.0.0). */
  version?: string;
  behaviour?: DeviceBehaviour;
  secret?: string;
  /** The release signer's public key: checks a signed manifest in the chunk metadata. */
  publicKeyPem?: string;
  /** The key an MCUboot bootloader is built with (PEM, public or private): images must be signed with it. */
  bootloaderKeyPem?: string;
  caPem?: string;
  /** hawkBit DDI (default), or the Arduino HTTPUpdate route (no resume, no feedback; the version header reports). */
  protocol?: 'ddi' | 'arduino';
  /** With `protocol: 'ddi'`: speak as our own client (default) or as Zephyr's hawkBit client (see zephyrDialect.ts). */
  hawkbitClient?: 'workbench' | 'zephyr';
  /** With `protocol: 'arduino'`: which core's updater it speaks as (default esp32). */
  arduinoCore?: 'esp32' | 'esp8266';
  /** With `protocol: 'arduino'`: the free sketch space it reports and checks (default 1.5 MiB). */
  freeSketchSpace?: number;
  /** A DDI target token, sent as `Authorization: TargetToken …`. */
  token?: string;
  faults?: readonly Fault[];
  /** Bytes per Range request (default 16 KiB): a drop costs at most the bytes in flight. */
  chunkBytes?: number;
  /** Overrides the server's polling sleep, ms (tests and demos). */
  pollIntervalMs?: number;
  /** Time offline for a reboot (default 500 ms), for the install step (300 ms), for the self-test (200 ms). */
  rebootMs?: number;
  installMs?: number;
  selfTestMs?: number;
  /** Wait after a failed request before trying again (default 1 s). */
  retryMs?: number;
}

/** What the device is doing, for a fleet view. */
export type SimPhase = 'booting' | 'idle' | 'downloading' | 'verifying' | 'installing' | 'rebooting' | 'self-test' | 'offline' | 'stopped';

/** Counters a test or a fleet view reads. */
export interface SimDeviceStats {
  /** Image bytes received over the wire, re-downloads included. */
  bytesReceived: number;
  rangeRequests: number;
  /** Downloads begun from byte 0 (a fresh session), and continued after an interruption. */
  downloadsStarted: number;
  resumes: number;
  drops: number;
  powerLosses: number;
  installs: number;
  rollbacks: number;
  /** Feedback sent, in order: "action execution/finished: details". */
  feedback: string[];
}
