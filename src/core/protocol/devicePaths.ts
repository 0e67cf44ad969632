/**
 * URLs of the non-hawkBit device routes, shared by the server, the device simulator and anything
 * that prints a URL for a sketch or for esp_https_ota.
 */

/** Arduino HTTPUpdate: `GET /arduino/update?pid=P&key=K&channel=C` with the x-ESP8266-/x-ESP32- headers. */
export const arduinoUpdatePath = '/arduino/update';

export function arduinoUpdateUrl(origin: string, pid: string, fwKey: string, channel: string): string {
  return `${origin}${arduinoUpdatePath}?${new URLSearchParams({ pid, key: fwKey, channel }).toString()}`;
}

/**
 * The release part an Arduino client gets when it asks for a filesystem image
 * (`x-ESP8266-mode: spiffs` / `x-ESP32-mode: spiffs`, the cores' word for LittleFS too); a
 * `sketch` request never gets one. Push a filesystem image with `ota push --part spiffs`.
 */
export const arduinoFilesystemPart = 'spiffs';

/** The plain firmware URL (esp_https_ota, curl): `/fw/{releaseId}/{filename}`. */
export function plainFirmwarePath(releaseId: string, filename: string): string {
  return `/fw/${encodeURIComponent(releaseId)}/${encodeURIComponent(filename)}`;
}

/**
 * What a release's signed manifest is called next to its image, on the plain URL
 * (`/fw/{releaseId}/{filename}.manifest.json`) and in the chunk metadata of its DDI deployment.
 */
export function signedManifestFilename(imageFilename: string): string {
  return `${imageFilename}.manifest.json`;
}

/**
 * Optional query of the plain URL that makes the download a tracked update session under the
 * key/channel policy: `?device=ID&key=K&channel=C[&pid=P][&version=V]`.
 */
export interface PlainDeviceQuery {
  device: string;
  key?: string;
  channel?: string;
  pid?: string;
  version?: string;
}

export function plainFirmwareUrl(origin: string, releaseId: string, filename: string, query?: PlainDeviceQuery): string {
  const base = `${origin}${plainFirmwarePath(releaseId, filename)}`;
  if (!query) return base;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (typeof v === 'string') params.set(k, v);
  return `${base}?${params.toString()}`;
}

/**
 * The one URL an esp_https_ota firmware bakes in: 302 to the release the policy offers this
 * device, 304 when there is nothing to do.
 */
export function latestFirmwareUrl(origin: string, query: PlainDeviceQuery): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (typeof v === 'string') params.set(k, v);
  return `${origin}/fw/latest?${params.toString()}`;
}
