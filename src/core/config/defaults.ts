import type { Timeouts } from './model';

/** From the OTA FAQ: a device offline for 60 s fails the update; 20 kbps is the minimum bandwidth. */
export const defaultTimeouts: Readonly<Timeouts> = Object.freeze({
  offlineSeconds: 60,
  minBandwidthKbps: 20,
  pollIntervalSeconds: 10,
});

export const defaultBaud = 115200;
export const defaultLocalHost = '127.0.0.1';
export const defaultLocalPort = 8080;
