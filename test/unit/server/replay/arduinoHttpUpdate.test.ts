import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { arduinoUpdateUrl } from '../../../../src/core/protocol/devicePaths';
import type { Device, UpdateSession } from '../../../../src/core/protocol/management';
import type { RunningServer } from '../../../../src/server/startServer';
import { api, removeDir, start, tempDir, uploadRelease } from '../helpers/server';
import type { ArduinoDevice } from './arduinoClient';
import { arduinoHttpUpdate } from './arduinoClient';

/** An ESP app image as the cores check it: first byte 0xE9. */
function appImage(size: number): Buffer {
  const b = randomBytes(size);
  b[0] = 0xe9;
  return b;
}

const esp32: ArduinoDevice = {
  core: 'esp32',
  staMac: '24:0A:C4:00:00:01',
  apMac: '24:0A:C4:00:00:02',
  freeSketchSpace: 1_310_720,
  sketchSize: 900_000,
  flashChipSize: 4_194_304,
  sdkVersion: 'v4.4.7',
  sketchSha256: createHash('sha256').update('running app').digest('hex').toUpperCase(),
};
const esp8266: ArduinoDevice = { core: 'esp8266', staMac: '5C:CF:7F:00:00:01', apMac: '5E:CF:7F:00:00:01', freeSketchSpace: 700_000, sketchSize: 300_000, flashChipSize: 4_194_304, sdkVersion: '2.2.2-dev(38a443e)', spiffsSize: 1_024_000 };

/**
 * arduino-esp32 `HTTPUpdate::handleUpdate` (libraries/HTTPUpdate/src/HTTPUpdate.cpp at 0596a2ac)
 * and ESP8266 `ESP8266HTTPUpdate::handleUpdate` (libraries/ESP8266httpUpdate/src/
 * ESP8266httpUpdate.cpp at 005d9d0b) replayed over 127.0.0.1: their exact header sets, modes,
 * free-space check, and what they do with 200, 304 and 403.
 */
describe('replay: Arduino HTTPUpdate (ESP32) and ESP8266httpUpdate', () => {
  let dir: string;
  let server: RunningServer;
  let url: string;

  beforeEach(async () => {
    dir = await tempDir('ota-arduino-');
    server = await start(dir);
    url = arduinoUpdateUrl(server.url, 'P', 'K', 'main');
  });
  afterEach(async () => {
    await server.close(0);
    await removeDir(dir);
  });

  const device = async (id: string) => (await api(server, 'GET', `/api/v1/devices/${encodeURIComponent(id)}`)).json as Device;
  const sessions = async () => (await api(server, 'GET', '/api/v1/sessions')).json as UpdateSession[];
  const deploy = async (image: Buffer, label: string, part?: string) => {
    const release = await uploadRelease(server, image, { pid: 'P', fwKey: 'K', channel: 'main', label, ...(part ? { part } : {}) });
    assert.equal((await api(server, 'POST', '/api/v1/deployments', { releaseId: release.id })).status, 201);
    return release;
  };

  for (const core of [esp32, esp8266]) {
    const prefix = core.core === 'esp32' ? 'x-ESP32-' : 'x-ESP8266-';
    describe(core.core, () => {
      it('nothing to do: 304 (HTTP_UPDATE_NO_UPDATES), and the device is known by its STA MAC with what its headers said', async () => {
        const r = await arduinoHttpUpdate(url, core, { currentVersion: '1.0.0' });
        assert.equal(r.result, 'HTTP_UPDATE_NO_UPDATES');
        assert.deepEqual(
          r.sent.map(([k]) => k),
          core.core === 'esp32'
            ? ['User-Agent', 'Connection', 'Cache-Control', 'x-ESP32-STA-MAC', 'x-ESP32-AP-MAC', 'x-ESP32-free-space', 'x-ESP32-sketch-size', 'x-ESP32-sketch-sha256', 'x-ESP32-chip-size', 'x-ESP32-sdk-version', 'x-ESP32-mode', 'x-ESP32-version']
            : ['User-Agent', 'Connection', 'x-ESP8266-STA-MAC', 'x-ESP8266-AP-MAC', 'x-ESP8266-free-space', 'x-ESP8266-sketch-size', 'x-ESP8266-chip-size', 'x-ESP8266-sdk-version', 'x-ESP8266-mode', 'x-ESP8266-version'],
        );
        const seen = await device(core.staMac.toLowerCase());
        assert.equal(seen.protocol, 'arduino');
        assert.equal(seen.attributes.version, '1.0.0');
        assert.equal(seen.attributes['esp.free-space'], String(core.freeSketchSpace));
      });

      it('a sketch that fits: 200 with Content-Length and x-MD5, written and verified; the next request with the new version closes the session', async () => {
        const image = appImage(64 * 1024);
        const release = await deploy(image, '1.0.1');
        const r = await arduinoHttpUpdate(url, core, { currentVersion: '1.0.0' });
        assert.equal(r.result, 'HTTP_UPDATE_OK', r.lastError);
        assert.ok(r.written?.equals(image));
        assert.equal((await sessions())[0]!.state, 'downloaded');
        // After ESP.restart() the sketch reports the label it was built with.
        assert.equal((await arduinoHttpUpdate(url, core, { currentVersion: release.label })).result, 'HTTP_UPDATE_NO_UPDATES');
        assert.equal((await sessions())[0]!.state, 'succeeded');
      });

      it('a sketch larger than the free space it reported: 403 (HTTP_UE_SERVER_FORBIDDEN) at once, and the why-not says so', async () => {
        const small = { ...core, freeSketchSpace: 50_000 };
        const release = await deploy(appImage(64 * 1024), '1.0.1');
        const r = await arduinoHttpUpdate(url, small, { currentVersion: '1.0.0' });
        assert.equal(r.status, 403);
        assert.equal(r.lastError, 'HTTP_UE_SERVER_FORBIDDEN');
        const why = (await device(core.staMac.toLowerCase())).whyNot[0]!.reason;
        assert.equal(why, `release ${release.id} is ${64 * 1024} bytes, more than the 50000 bytes of free sketch space device ${core.staMac.toLowerCase()} reported (${prefix}free-space); deployment ${why.match(/deployment (\d+)/)![1]} cannot be installed there. Build a smaller image or use a partition table with larger app slots.`);
        assert.deepEqual(await sessions(), [], 'no session is opened to time out later');
        // With room (a smaller app after a repartition), the same deployment goes through.
        assert.equal((await arduinoHttpUpdate(url, core, { currentVersion: '1.0.0' })).result, 'HTTP_UPDATE_OK');
      });

      it('a filesystem request (mode spiffs) never gets the app: 304, why-not recorded; a release pushed as part spiffs is served to it, and only to it', async () => {
        const app = appImage(8 * 1024);
        await deploy(app, '1.0.1');
        const fs = await arduinoHttpUpdate(url, core, { spiffs: true, currentVersion: '1.0.0' });
        assert.equal(fs.result, 'HTTP_UPDATE_NO_UPDATES');
        assert.match((await device(core.staMac.toLowerCase())).whyNot[0]!.reason, new RegExp(`asked for a filesystem image \\(${prefix}mode: spiffs\\); deployment \\d+ is release \\d+ \\(part bApp\\), an app image\\. Push the filesystem image with --part spiffs\\.`));
        assert.deepEqual(await sessions(), []);

        // A LittleFS image (this ESP8266 version also checks 0xE9 for filesystem images).
        const fsImage = core.core === 'esp8266' ? appImage(16 * 1024) : randomBytes(16 * 1024);
        await deploy(fsImage, 'fs-1', 'spiffs');
        // The newer deployment is the filesystem image; a sketch request passes over it to the app.
        const sketch = await arduinoHttpUpdate(url, core, { currentVersion: '1.0.0' });
        assert.equal(sketch.result, 'HTTP_UPDATE_OK', sketch.lastError);
        assert.ok(sketch.written?.equals(app), 'a sketch request does not get the filesystem image');
        assert.equal((await arduinoHttpUpdate(url, core, { currentVersion: '1.0.1' })).result, 'HTTP_UPDATE_NO_UPDATES');
        const got = await arduinoHttpUpdate(url, core, { spiffs: true, currentVersion: '1.0.0' });
        assert.equal(got.result, 'HTTP_UPDATE_OK', got.lastError);
        assert.ok(got.written?.equals(fsImage));
      });
    });
  }
});
