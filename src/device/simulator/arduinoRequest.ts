import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export interface ArduinoIdentity {
  /** The station MAC, which identifies an Arduino device to the server. */
  mac: string;
  pid: string;
  fwKey: string;
  channel: string;
  /** The sketch's own version string (`httpUpdate.update(client, url, version)`), sent as x-ESP32-version. */
  version: string;
}

/** The headers the ESP32 Arduino core's HTTPUpdate sends, computed from the running sketch. */
export async function arduinoHeaders(id: ArduinoIdentity, runningSketch: string): Promise<Record<string, string>> {
  const md5 = createHash('md5');
  let size = 0;
  for await (const chunk of createReadStream(runningSketch) as AsyncIterable<Buffer>) {
    md5.update(chunk);
    size += chunk.length;
  }
  return {
    'User-Agent': 'ESP32-http-Update',
    'x-ESP32-STA-MAC': id.mac,
    'x-ESP32-AP-MAC': id.mac,
    'x-ESP32-free-space': String(0x180000),
    'x-ESP32-sketch-size': String(size),
    'x-ESP32-sketch-md5': md5.digest('hex'),
    'x-ESP32-chip-size': String(4 * 1024 * 1024),
    'x-ESP32-sdk-version': 'v5.1.2',
    'x-ESP32-mode': 'sketch',
    'x-ESP32-version': id.version,
  };
}

/** HTTPUpdate's error codes and texts, as the example sketches print them. */
export const arduinoErrors = {
  noSize: { code: -101, text: 'Server Did Not Report Size' },
  wrongCode: { code: -104, text: 'Wrong HTTP Code' },
  badHeader: { code: -106, text: 'Verify Bin Header Failed' },
  md5: { code: 7, text: 'MD5 Check Failed' },
} as const;
