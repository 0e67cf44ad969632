import { createHash } from 'node:crypto';
import { rawHttp } from './rawHttp';

/**
 * The Arduino cores' HTTP updaters replayed: `HTTPUpdate::handleUpdate` in espressif/arduino-esp32
 * libraries/HTTPUpdate/src/HTTPUpdate.cpp (at 0596a2ac) and `ESP8266HTTPUpdate::handleUpdate` in
 * esp8266/Arduino libraries/ESP8266httpUpdate/src/ESP8266httpUpdate.cpp (at 005d9d0b): the same
 * headers in the same order, the same status handling, the same checks before writing flash.
 */
export type ArduinoCore = 'esp32' | 'esp8266';
export type UpdateResult = 'HTTP_UPDATE_OK' | 'HTTP_UPDATE_NO_UPDATES' | 'HTTP_UPDATE_FAILED';
export type LastError =
  | 'HTTP_UE_TOO_LESS_SPACE'
  | 'HTTP_UE_SERVER_NOT_REPORT_SIZE'
  | 'HTTP_UE_SERVER_FILE_NOT_FOUND'
  | 'HTTP_UE_SERVER_FORBIDDEN'
  | 'HTTP_UE_SERVER_WRONG_HTTP_CODE'
  | 'HTTP_UE_SERVER_FAULTY_MD5'
  | 'HTTP_UE_BIN_VERIFY_HEADER_FAILED'
  | 'UPDATE_ERROR_MD5'
  | 'UPDATE_ERROR_SIZE';

export interface ArduinoDevice {
  core: ArduinoCore;
  staMac: string;
  apMac: string;
  freeSketchSpace: number;
  sketchSize: number;
  flashChipSize: number;
  sdkVersion: string;
  /** ESP32 only: esp_partition_get_sha256 of the running partition, upper-case hex. */
  sketchSha256?: string;
  /** ESP8266 only: `_SPIFFS_end - _SPIFFS_start`, what a filesystem image is checked against. */
  spiffsSize?: number;
}

export interface ArduinoOutcome {
  result: UpdateResult;
  lastError?: LastError;
  status: number;
  /** What `Update` wrote to flash. */
  written?: Buffer;
  /** The request headers as sent, in order. */
  sent: [string, string][];
}

export async function arduinoHttpUpdate(url: string, device: ArduinoDevice, opts: { spiffs?: boolean; currentVersion?: string } = {}): Promise<ArduinoOutcome> {
  const p = device.core === 'esp32' ? 'x-ESP32-' : 'x-ESP8266-';
  const sent: [string, string][] = [];
  // HTTPClient writes Host, User-Agent and Connection itself; the rest are handleUpdate's
  // addHeader calls, in their order.
  if (device.core === 'esp32') {
    sent.push(['User-Agent', 'ESP32-http-Update'], ['Connection', 'close'], ['Cache-Control', 'no-cache'], [`${p}STA-MAC`, device.staMac], [`${p}AP-MAC`, device.apMac]);
    sent.push([`${p}free-space`, String(device.freeSketchSpace)], [`${p}sketch-size`, String(device.sketchSize)]);
    if (device.sketchSha256) sent.push([`${p}sketch-sha256`, device.sketchSha256]);
    sent.push([`${p}chip-size`, String(device.flashChipSize)], [`${p}sdk-version`, device.sdkVersion]);
  } else {
    sent.push(['User-Agent', 'ESP8266-http-Update'], ['Connection', 'close'], [`${p}STA-MAC`, device.staMac], [`${p}AP-MAC`, device.apMac]);
    sent.push([`${p}free-space`, String(device.freeSketchSpace)], [`${p}sketch-size`, String(device.sketchSize)], [`${p}chip-size`, String(device.flashChipSize)], [`${p}sdk-version`, device.sdkVersion]);
  }
  sent.push([`${p}mode`, opts.spiffs ? 'spiffs' : 'sketch']);
  if (opts.currentVersion) sent.push([`${p}version`, opts.currentVersion]);

  // ESP32 forces HTTP/1.0 ("the update handler not support any transfer Encoding"); this ESP8266
  // version leaves HTTPClient at its default, 1.1.
  const reply = await rawHttp(url, 'GET', device.core === 'esp32' ? '1.0' : '1.1', sent);
  const len = reply.headers['content-length'] === undefined ? -1 : Number(reply.headers['content-length']);
  const out = (result: UpdateResult, lastError?: LastError, written?: Buffer): ArduinoOutcome => ({ result, status: reply.status, sent, ...(lastError ? { lastError } : {}), ...(written ? { written } : {}) });
  switch (reply.status) {
    case 200: {
      if (!(len > 0)) return out('HTTP_UPDATE_FAILED', 'HTTP_UE_SERVER_NOT_REPORT_SIZE');
      if (opts.spiffs) {
        if (device.core === 'esp8266' && device.spiffsSize !== undefined && len > device.spiffsSize) return out('HTTP_UPDATE_FAILED', 'HTTP_UE_TOO_LESS_SPACE');
      } else if (len > device.freeSketchSpace) return out('HTTP_UPDATE_FAILED', 'HTTP_UE_TOO_LESS_SPACE');
      // The magic byte: ESP32 checks it for sketches only; this ESP8266 version for both.
      if ((device.core === 'esp8266' || !opts.spiffs) && reply.body[0] !== 0xe9) return out('HTTP_UPDATE_FAILED', 'HTTP_UE_BIN_VERIFY_HEADER_FAILED');
      // runUpdate: Update.begin(size), setMD5(x-MD5) if sent, writeStream must return size, end() checks the MD5.
      const md5 = reply.headers['x-md5'];
      if (md5 !== undefined && !/^[0-9a-fA-F]{32}$/.test(md5)) return out('HTTP_UPDATE_FAILED', 'HTTP_UE_SERVER_FAULTY_MD5');
      if (reply.body.length !== len) return out('HTTP_UPDATE_FAILED', 'UPDATE_ERROR_SIZE');
      if (md5 !== undefined && createHash('md5').update(reply.body).digest('hex') !== md5.toLowerCase()) return out('HTTP_UPDATE_FAILED', 'UPDATE_ERROR_MD5');
      return out('HTTP_UPDATE_OK', undefined, reply.body);
    }
    case 304:
      return out('HTTP_UPDATE_NO_UPDATES');
    case 404:
      return out('HTTP_UPDATE_FAILED', 'HTTP_UE_SERVER_FILE_NOT_FOUND');
    case 403:
      return out('HTTP_UPDATE_FAILED', 'HTTP_UE_SERVER_FORBIDDEN');
    default:
      return out('HTTP_UPDATE_FAILED', 'HTTP_UE_SERVER_WRONG_HTTP_CODE');
  }
}
