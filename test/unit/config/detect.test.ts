import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { detectBuildSystem } from '../../../src/core/init/detect';
import { starterChannel, starterConfigText } from '../../../src/core/init/starter';
import { check } from './helpers';

async function folderWith(files: Record<string, string>): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ota-detect-'));
  for (const [name, text] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await fs.writeFile(path.join(dir, name), text);
  }
  return dir;
}

describe('build system detection', () => {
  const dirs: string[] = [];
  after(async () => {
    for (const d of dirs) await fs.rm(d, { recursive: true, force: true });
  });
  const detect = async (files: Record<string, string>) => {
    const dir = await folderWith(files);
    dirs.push(dir);
    return detectBuildSystem(dir);
  };

  it('PlatformIO wins over the CMakeLists.txt it may also have', async () => {
    const d = await detect({ 'platformio.ini': '[env:nrf52]\nplatform = nordicnrf52\n', 'CMakeLists.txt': 'project(x)\n' });
    assert.deepEqual([d.system, d.pioEnv, d.pioPlatform], ['platformio', 'nrf52', 'nordicnrf52']);
    assert.deepEqual(starterChannel(d), {
      command: 'pio run -e nrf52',
      artifact: '.pio/build/nrf52/firmware.bin',
      format: 'raw',
      version: { source: 'fixed', value: '0.1.0' },
      note: starterChannel(d).note,
    });
  });

  it('ESP-IDF from sdkconfig next to a CMakeLists.txt, even without project.cmake on one line', async () => {
    const d = await detect({ 'CMakeLists.txt': 'cmake_minimum_required(VERSION 3.16)\nproject(hello_world)\n', sdkconfig: 'CONFIG_IDF_TARGET="esp32"\n' });
    assert.deepEqual([d.system, d.projectName, d.evidence], ['esp-idf', 'hello_world', ['sdkconfig']]);
    assert.equal(starterChannel(d).artifact, 'build/hello_world.bin');
  });

  it('Zephyr without MCUboot: a raw image versioned by git describe, board left for the user', async () => {
    const d = await detect({ 'prj.conf': 'CONFIG_GPIO=y\n', 'CMakeLists.txt': 'find_package(Zephyr)\nproject(app)\n' });
    assert.deepEqual([d.system, d.mcuboot, d.board], ['zephyr', false, undefined]);
    assert.deepEqual([starterChannel(d).format, starterChannel(d).version, starterChannel(d).command], ['raw', { source: 'git-describe' }, 'west build -b YOUR_BOARD .']);
  });

  it('an Arduino sketch named after its folder is preferred; a non-ESP32 board gives a raw image', async () => {
    const d = await detect({ 'other.ino': '', 'sketch.yaml': 'default_fqbn: arduino:avr:uno # the board\n' });
    assert.deepEqual([d.system, d.projectName, d.fqbn], ['arduino-cli', 'other', 'arduino:avr:uno']);
    assert.equal(starterChannel(d).format, 'raw');
  });

  it('an empty folder is unknown, and its starter still validates', async () => {
    const d = await detect({});
    assert.equal(d.system, 'unknown');
    const result = check(starterConfigText(d));
    assert.ok(result.config);
    assert.deepEqual([...new Set(result.diagnostics.map((x) => x.code))], ['placeholder']);
  });

  it('a project name with quotes or a file name with a newline cannot break the starter JSON', async () => {
    const d = { system: 'make' as const, evidence: ['Make\nfile'], projectName: 'we "quote" \\ things' };
    const result = check(starterConfigText(d));
    assert.equal(result.config?.products[0]?.name, 'we "quote" \\ things');
  });
});
