import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { detectBuildSystem } from '../../../src/core/init/detect';
import { parsePlatformioIni, pioEnvironment } from '../../../src/core/init/platformioIni';
import { starterChannel } from '../../../src/core/init/starter';

describe('PlatformIO: the built environment and its platform', () => {
  const cases: { name: string; ini: string; env: string | undefined; platform: string | undefined; format: string }[] = [
    { name: 'one ESP32 env', ini: '[env:esp32dev]\nplatform = espressif32\nboard = esp32dev\nframework = arduino\n', env: 'esp32dev', platform: 'espressif32', format: 'esp-idf' },
    {
      name: 'default_envs picks the ESP32 env although another env comes first',
      ini: '[platformio]\ndefault_envs = s3, native\n\n[env:native]\nplatform = native\n\n[env:s3]\nplatform = espressif32 @ 6.5.0\nframework = espidf\n',
      env: 's3',
      platform: 'espressif32 @ 6.5.0',
      format: 'esp-idf',
    },
    {
      name: 'the ESP32 env is not the first platform line: the built env decides',
      ini: '[platformio]\ndefault_envs = nrf\n\n[env:esp]\nplatform = espressif32\n\n[env:nrf]\nplatform = nordicnrf52\n',
      env: 'nrf',
      platform: 'nordicnrf52',
      format: 'raw',
    },
    { name: 'platform from the common [env] section', ini: '[env]\nplatform = espressif32\nframework = arduino\n\n[env:c3]\nboard = esp32-c3-devkitm-1\n', env: 'c3', platform: 'espressif32', format: 'esp-idf' },
    {
      name: 'platform inherited through extends',
      ini: '[common_esp]\nplatform = https://github.com/pioarduino/platform-espressif32/releases/download/stable/platform-espressif32.zip\n\n[env:prod]\nextends = common_esp\nboard = esp32dev\n',
      env: 'prod',
      platform: 'https://github.com/pioarduino/platform-espressif32/releases/download/stable/platform-espressif32.zip',
      format: 'esp-idf',
    },
    { name: 'inline comments and platform_packages', ini: '[env:d1]\nplatform_packages = foo\nplatform = espressif8266 ; the old one\n', env: 'd1', platform: 'espressif8266', format: 'raw' },
    { name: 'no env at all', ini: '[platformio]\nsrc_dir = src\n', env: undefined, platform: undefined, format: 'raw' },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      assert.deepEqual(pioEnvironment(c.ini), { ...(c.env ? { env: c.env } : {}), ...(c.platform ? { platform: c.platform } : {}) });
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ota-pio-'));
      try {
        await fs.writeFile(path.join(dir, 'platformio.ini'), c.ini);
        const d = await detectBuildSystem(dir);
        assert.deepEqual([d.system, d.pioEnv, d.pioPlatform], ['platformio', c.env, c.platform]);
        assert.equal(starterChannel(d).format, c.format);
      } finally {
        await fs.rm(dir, { recursive: true, force: true });
      }
    });
  }

  it('parses continued values and keeps a ; without a space before it', () => {
    const ini = '[env:x]\nbuild_flags =\n    -DA=1\n    -DB="a;b"\n; comment\nlib_deps = foo ; why\n';
    assert.deepEqual([...parsePlatformioIni(ini).get('env:x')!], [
      ['build_flags', '-DA=1\n-DB="a;b"'],
      ['lib_deps', 'foo'],
    ]);
  });
});
