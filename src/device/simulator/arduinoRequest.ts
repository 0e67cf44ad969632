import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** Which Arduino core's updater the device runs: they spell and pick their headers differently. */
export type ArduinoCore = 'esp32' | 'esp8266';

export interface ArduinoIdentity {
  /** The station MAC, which identifies an Arduino device to the server. */
  mac: string;
  pid: string;
  fwKey: string;
  channel: string;
  /** The sketch's own version string (`httpUpdate.update(client, url, version)`), sent as x-ESP*-version. */
  version: string;
  core: ArduinoCore;
  /** What `ESP.getFreeSketchSpace()` returns: the cores refuse a larger body. */
  freeSketchSpace: number;
  /** `updateSpiffs()` instead of `update()`: asks for a filesystem image. */
  spiffs?: boolean;
}

/** The default free sketch space: a 1.5 MiB app slot (the ESP32 default partition table's). */
export const defaultFreeSketchSpace = 0x180000;

/**
 * The headers the core's updater sends, computed from the running sketch, in its order:
 * arduino-esp32 `HTTPUpdate::handleUpdate` (HTTPUpdate.cpp) sends Cache-Control and the running
 * partition's SHA-256 (its MD5 is a "to do" there); ESP8266 `ESP8266HTTPUpdate::handleUpdate`
 * sends neither. Both send `mode: spiffs` for a filesystem update.
 */
export async function arduinoHeaders(id: ArduinoIdentity, runningSketch: string): Promise<Record<string, string>> {
  const sha256 = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(runningSketch) as AsyncIterable<Buffer>) {
    sha256.update(chunk);
    size += chunk.length;
  }
  const p = id.core === 'esp32' ? 'x-ESP32-' : 'x-ESP8266-';
  const headers: Record<string, string> = { 'User-Agent': id.core === 'esp32' ? 'ESP32-http-Update' : 'ESP8266-http-Update' };
  if (id.core === 'esp32') headers['Cache-Control'] = 'no-cache';
  headers[`${p}STA-MAC`] = id.mac;
  headers[`${p}AP-MAC`] = id.mac;
  headers[`${p}free-space`] = String(id.freeSketchSpace);
  headers[`${p}sketch-size`] = String(size);
  if (id.core === 'esp32') headers[`${p}sketch-sha256`] = sha256.digest('hex').toUpperCase();
  headers[`${p}chip-size`] = String(4 * 1024 * 1024);
  headers[`${p}sdk-version`] = id.core === 'esp32' ? 'v5.1.2' : '2.2.2-dev(38a443e)';
  headers[`${p}mode`] = id.spiffs ? 'spiffs' : 'sketch';
  headers[`${p}version`] = id.version;
  return headers;
}

/** HTTPUpdate's error codes (HTTP_UE_*) and the ESP32 core's texts, as the example sketches print them. */
export const arduinoErrors = {
  tooLessSpace: { code: -100, text: 'Not Enough space' },
  noSize: { code: -101, text: 'Server Did Not Report Size' },
  notFound: { code: -102, text: 'File Not Found (404)' },
  forbidden: { code: -103, text: 'Forbidden (403)' },
  wrongCode: { code: -104, text: 'Wrong HTTP Code' },
  badHeader: { code: -106, text: 'Verify Bin Header Failed' },
  md5: { code: 7, text: 'MD5 Check Failed' },
} as const;
