import { defaultLocalHost, defaultLocalPort, defaultTimeouts } from '../config/defaults';
import type { ImageFormat, VersionSource } from '../config/model';
import type { Detection } from './detect';
import { buildSystemNames } from './detect';

/** Placeholders the user replaces; `ota config validate` warns while they are still there. */
export const placeholderPid = 'YOUR_PID';
export const placeholderKey = 'YOUR_FIRMWARE_KEY';

/** The channel a starter config describes, derived from the build system. */
export interface StarterChannel {
  command: string;
  artifact: string;
  format: ImageFormat;
  version: VersionSource;
  /** One line on where the values came from or what to check. */
  note: string;
}

export function starterChannel(d: Detection): StarterChannel {
  switch (d.system) {
    case 'esp-idf':
      return { command: 'idf.py build', artifact: `build/${d.projectName}.bin`, format: 'esp-idf', version: { source: 'image' }, note: 'idf.py writes build/<project>.bin; the version is PROJECT_VER in its app descriptor.' };
    case 'platformio': {
      const env = d.pioEnv ?? 'YOUR_ENV';
      const esp32 = d.pioPlatform?.includes('espressif32') ?? false;
      return {
        command: `pio run -e ${env}`,
        artifact: `.pio/build/${env}/firmware.bin`,
        format: esp32 ? 'esp-idf' : 'raw',
        version: esp32 ? { source: 'image' } : { source: 'fixed', value: '0.1.0' },
        note: esp32 ? 'ESP32 builds are ESP-IDF app images, so the version is read from the image.' : 'Raw images carry no version: bump "version.value" per release, or read it from a file.',
      };
    }
    case 'zephyr': {
      const board = d.board ?? 'YOUR_BOARD';
      return d.mcuboot
        ? { command: `west build -b ${board} .`, artifact: 'build/zephyr/zephyr.signed.bin', format: 'mcuboot', version: { source: 'image' }, note: 'MCUboot is enabled (prj.conf), so west writes a signed image whose header holds the version.' }
        : { command: `west build -b ${board} .`, artifact: 'build/zephyr/zephyr.bin', format: 'raw', version: { source: 'git-describe' }, note: 'Without MCUboot the image has no version header: the version comes from git describe.' };
    }
    case 'arduino-cli': {
      const fqbn = d.fqbn ?? 'esp32:esp32:esp32';
      const esp32 = fqbn.startsWith('esp32:');
      return {
        command: `arduino-cli compile --fqbn ${fqbn} --output-dir build .`,
        artifact: `build/${d.projectName}.ino.bin`,
        format: esp32 ? 'esp-idf' : 'raw',
        version: esp32 ? { source: 'image' } : { source: 'fixed', value: '0.1.0' },
        note: d.fqbn ? 'The board comes from sketch.yaml.' : 'Check the --fqbn for your board.',
      };
    }
    case 'cmake':
      return { command: 'cmake -B build && cmake --build build', artifact: 'build/*.bin', format: 'raw', version: { source: 'fixed', value: '0.1.0' }, note: 'Point "artifact" at the binary your CMake build writes.' };
    case 'make':
      return { command: 'make', artifact: 'build/*.bin', format: 'raw', version: { source: 'fixed', value: '0.1.0' }, note: 'Point "artifact" at the binary your Makefile writes.' };
    default:
      return { command: 'make', artifact: 'build/firmware.bin', format: 'raw', version: { source: 'fixed', value: '0.1.0' }, note: 'No build system was recognised: fill in your build command and output.' };
  }
}

const j = (v: unknown): string => JSON.stringify(v);
const inline = (o: object): string => `{ ${Object.entries(o).map(([k, v]) => `${j(k)}: ${j(v)}`).join(', ')} }`;

/**
 * The text of a starter `.vscode/ota.json` (JSONC, commented) for a detected build system.
 * Placeholders for the PID and firmware key are valid strings, so the file validates as written
 * and `ota config validate` reminds the user to replace them.
 */
export function starterConfigText(d: Detection): string {
  const ch = starterChannel(d);
  // File names go into a line comment: a newline in one must not end the comment.
  const found = d.evidence.length ? ` (found ${d.evidence.join(', ').replace(/[\r\n\u2028\u2029]/g, ' ')})` : '';
  return `// OTA Workbench config for ${j(d.projectName)}: ${buildSystemNames[d.system]}${found}.
// Commit this file: the team shares it. Personal settings (serial ports, local server port)
// go in .vscode/ota.local.json: same shape, merged over this file, keep it out of git.
// Credentials never go here: write "\${secret:NAME}" (VS Code Secret Storage) or "\${env:NAME}".
{
  "products": [
    {
      // TODO: your product id (PID) and the firmware keys bound to it.
      "pid": ${j(placeholderPid)},
      "name": ${j(d.projectName)},
      "firmwareKeys": [${j(placeholderKey)}]
    }
  ],
  "channels": [
    {
      // The module this image is for: "main" (Wi-Fi module), "mcu", "ble", …
      // It must match what is flashed on the device, and its key must be bound to the PID.
      "name": "main",
      "pid": ${j(placeholderPid)},
      "firmwareKey": ${j(placeholderKey)},
      "format": ${j(ch.format)},
      "build": { "command": ${j(ch.command)} },
      // ${ch.note}
      "artifact": ${j(ch.artifact)},
      "version": ${inline(ch.version)}
    }
  ],
  "servers": [
    // The built-in server. Devices on your network need a host they can reach, e.g. "0.0.0.0".
    { "type": "local", "name": "local", "host": ${j(defaultLocalHost)}, "port": ${defaultLocalPort} }
  ],
  // Bench devices: { "name", "deviceId", "serial": { "path", "baud" }, "logParser", "expect" }.
  "devices": [],
  "timeouts": { "offlineSeconds": ${defaultTimeouts.offlineSeconds}, "minBandwidthKbps": ${defaultTimeouts.minBandwidthKbps}, "pollIntervalSeconds": ${defaultTimeouts.pollIntervalSeconds} },
  "defaultServer": "local"
}
`;
}
