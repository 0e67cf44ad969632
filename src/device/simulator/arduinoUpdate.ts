import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { arduinoUpdateUrl } from '../../core/protocol/devicePaths';
import { arduinoErrors, arduinoHeaders, defaultFreeSketchSpace } from './arduinoRequest';
import type { ArduinoIdentity } from './arduinoRequest';
import type { DeviceConsole } from './deviceConsole';
import type { FlashSlots } from './flashSlots';
import { verifyImageFile } from './imageVerifier';
import type { SimNetwork } from './simNetwork';
import type { SimDeviceOptions, SimDeviceStats, SimPhase } from './simDeviceTypes';

const tag = 'ota_sim';

/** The parts of a simulated device the HTTPUpdate client works with. */
export interface ArduinoHost {
  readonly options: SimDeviceOptions;
  readonly console: DeviceConsole;
  readonly net: SimNetwork;
  readonly slots: FlashSlots;
  readonly stats: SimDeviceStats;
  readonly runningVersion: string;
  readonly reportsWrongKey: boolean;
  readonly reportsWrongChannel: boolean;
  setPhase(phase: SimPhase): void;
  /** Writes received bytes with the device's byte faults applied; returns the new position. */
  writeReceived(bytes: Buffer, position: number, size: number, handle: FileHandle, onWritten: (position: number) => void, onProgress: (position: number) => void): Promise<number>;
  /** Validates the inactive slot, switches to it and reboots (no pending-verify step on Arduino). */
  install(label: string, signal: AbortSignal): Promise<void>;
}

/** An HTTPUpdate error, printed as the example sketches print it. */
class ArduinoFailure extends Error {
  readonly code: number;
  readonly text: string;
  constructor(error: { code: number; text: string }) {
    super(error.text);
    this.code = error.code;
    this.text = error.text;
  }
}

/**
 * Arduino HTTPUpdate: one GET with the x-ESP32-* (or x-ESP8266-*) headers; 304 means nothing to do,
 * 403 and 404 fail the attempt (HTTP_UE_SERVER_FORBIDDEN / _FILE_NOT_FOUND), 200 streams
 * the whole image (no resume), checked against x-MD5, installed without a pending-verify step
 * (the Arduino core does not enable app rollback). The server learns the outcome from the
 * version header of the next request.
 */
export async function arduinoCycle(host: ArduinoHost, signal: AbortSignal): Promise<void> {
  const identity: ArduinoIdentity = {
    mac: host.options.id.toLowerCase(),
    pid: host.options.pid,
    fwKey: host.reportsWrongKey ? `${host.options.fwKey}-wrong` : host.options.fwKey,
    channel: host.reportsWrongChannel ? `${host.options.channel}-wrong` : host.options.channel,
    version: host.runningVersion,
    core: host.options.arduinoCore ?? 'esp32',
    freeSketchSpace: host.options.freeSketchSpace ?? defaultFreeSketchSpace,
  };
  const url = arduinoUpdateUrl(new URL(host.options.server).origin, identity.pid, identity.fwKey, identity.channel);
  const headers = await arduinoHeaders(identity, host.slots.slotFile(host.slots.boot.active));
  host.console.info(tag, `polling ${host.options.server}`);
  let handle: FileHandle | undefined;
  let status = 0;
  let total = 0;
  let written = 0;
  let md5: string | undefined;
  let label = '';
  try {
    await host.net.download(
      url,
      signal,
      headers,
      async (bytes) => {
        if (!handle) return;
        if (written === 0 && bytes[0] !== 0xe9) throw new ArduinoFailure(arduinoErrors.badHeader);
        written = await host.writeReceived(bytes, written, total, handle, (at) => (written = at), (at) => host.console.raw(`CALLBACK:  HTTP update process at ${at} of ${total} bytes...`));
      },
      async (head) => {
        status = head.status;
        host.console.raw('[httpUpdate] Header read fin.');
        host.console.raw(`[httpUpdate]  - code: ${status}`);
        if (status !== 200) return;
        total = Number(head.headers['content-length'] ?? 0);
        host.console.raw(`[httpUpdate]  - len: ${total}`);
        if (!(total > 0)) throw new ArduinoFailure(arduinoErrors.noSize);
        // handleUpdate: `len > ESP.getFreeSketchSpace()` ends the update before a byte is written.
        if (total > identity.freeSketchSpace) {
          host.console.raw(`[httpUpdate] FreeSketchSpace to low (${identity.freeSketchSpace}) needed: ${total}`);
          throw new ArduinoFailure(arduinoErrors.tooLessSpace);
        }
        md5 = head.headers['x-md5'] === undefined ? undefined : String(head.headers['x-md5']);
        label = String(head.headers['x-version'] ?? '');
        handle = await host.slots.eraseInactive();
        host.stats.downloadsStarted++;
        host.setPhase('downloading');
        host.console.raw('CALLBACK:  HTTP update process started');
      },
    );
  } catch (err) {
    if (!(err instanceof ArduinoFailure)) throw err;
    host.console.raw(`HTTP_UPDATE_FAILD Error (${err.code}): ${err.text}`);
    await fs.truncate(host.slots.slotFile(host.slots.inactive), 0);
    host.setPhase('idle');
    return;
  } finally {
    await handle?.close();
  }
  if (status === 304) {
    host.console.raw('HTTP_UPDATE_NO_UPDATES');
    host.setPhase('idle');
    return;
  }
  if (status !== 200) {
    const error = status === 403 ? arduinoErrors.forbidden : status === 404 ? arduinoErrors.notFound : arduinoErrors.wrongCode;
    host.console.raw(`HTTP_UPDATE_FAILD Error (${error.code}): ${error.text}`);
    host.setPhase('idle');
    return;
  }
  host.setPhase('verifying');
  const verified = await verifyImageFile(host.slots.slotFile(host.slots.inactive), { size: total, ...(md5 ? { md5 } : {}) }, {});
  if (!verified.ok) {
    host.console.error(tag, verified.failure);
    host.console.raw(`HTTP_UPDATE_FAILD Error (${arduinoErrors.md5.code}): ${arduinoErrors.md5.text}`);
    await fs.truncate(host.slots.slotFile(host.slots.inactive), 0);
    host.setPhase('idle');
    return;
  }
  host.console.raw(`CALLBACK:  HTTP update process at ${total} of ${total} bytes...`);
  host.console.raw('CALLBACK:  HTTP update process finished');
  host.console.raw('HTTP_UPDATE_OK');
  await host.install(label, signal);
}
