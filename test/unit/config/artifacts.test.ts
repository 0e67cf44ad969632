import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkArtifacts } from '../../../src/core/config/artifacts';
import picomatch from 'picomatch';
import { findFiles, globMatcher } from '../../../src/core/config/glob';
import { check, minimal } from './helpers';

describe('artifact globs', () => {
  let dir: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ota-artifacts-'));
    for (const f of ['build/app.bin', 'build/app.hex', 'build/app.elf', 'build/bootloader/bootloader.bin', '.pio/build/esp32dev/firmware.bin', 'zephyr/build/zephyr/zephyr.signed.bin', 'node_modules/x/app.bin']) {
      await fs.mkdir(path.dirname(path.join(dir, f)), { recursive: true });
      await fs.writeFile(path.join(dir, f), 'x');
    }
  });
  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('matches as VS Code globs do: * ? [] stay in a segment, ** spans segments, braces expand', () => {
    const cases: [string, string, boolean][] = [
      ['build/*.bin', 'build/app.bin', true],
      ['build/*.bin', 'build/bootloader/bootloader.bin', false],
      ['build/**/*.bin', 'build/app.bin', true],
      ['build/**/*.bin', 'build/bootloader/bootloader.bin', true],
      ['**/*.bin', '.pio/build/esp32dev/firmware.bin', true],
      // `**` inside a segment is a plain `*`: it does not cross directories
      ['build/**.bin', 'build/app.bin', true],
      ['build/**.bin', 'build/bootloader/bootloader.bin', false],
      ['build/*.{bin,hex}', 'build/app.bin', true],
      ['build/*.{bin,hex}', 'build/app.hex', true],
      ['build/*.{bin,hex}', 'build/app.elf', false],
      ['build/{app,boot}-*.bin', 'build/boot-1.bin', true],
      ['build/app-{1..3}.bin', 'build/app-2.bin', true],
      ['build/app-{1..3}.bin', 'build/app-4.bin', false],
      ['app?.bin', 'app1.bin', true],
      ['app?.bin', 'app/.bin', false],
      ['app[0-9].bin', 'app7.bin', true],
      ['app[!0-9].bin', 'app7.bin', false],
      ['app[!0-9].bin', 'appx.bin', true],
      ['app[^0-9].bin', 'appx.bin', true],
      ['a[]]b.bin', 'a]b.bin', true],
      ['a[]]b.bin', 'ab.bin', false],
      ['a+b(1).bin', 'a+b(1).bin', true],
      ['*.bin', '.hidden.bin', true],
    ];
    for (const [pattern, file, expected] of cases) assert.equal(globMatcher(pattern)(file), expected, `${pattern} against ${file}`);
    for (const [pattern, file, expected] of cases) assert.equal(picomatch(pattern, { dot: true, posix: true })(file), expected, `picomatch itself: ${pattern} against ${file}`);
  });

  it('finds plain paths and globs, skipping node_modules', async () => {
    assert.deepEqual(await findFiles(dir, 'build/app.bin'), [path.join(dir, 'build/app.bin')]);
    assert.deepEqual(await findFiles(dir, './build/*.bin'), [path.join(dir, 'build/app.bin')]);
    assert.deepEqual(await findFiles(dir, '**/app.bin'), [path.join(dir, 'build/app.bin')]);
    assert.deepEqual(await findFiles(dir, '.pio/build/*/firmware.bin'), [path.join(dir, '.pio/build/esp32dev/firmware.bin')]);
    assert.deepEqual(await findFiles(dir, 'build'), [], 'a directory is not an artifact');
    assert.deepEqual(await findFiles(dir, 'nothing/*.bin'), []);
    assert.deepEqual(await findFiles(dir, 'build/*.{bin,hex}'), [path.join(dir, 'build/app.bin'), path.join(dir, 'build/app.hex')]);
    assert.deepEqual(await findFiles(dir, 'build/**.bin'), [path.join(dir, 'build/app.bin')], '** inside a segment stays in it');
    assert.deepEqual(await findFiles(dir, 'build/**/*.bin'), [path.join(dir, 'build/app.bin'), path.join(dir, 'build/bootloader/bootloader.bin')]);
    assert.deepEqual(await findFiles(dir, path.join(dir, 'build', '*.hex')), [path.join(dir, 'build/app.hex')], 'absolute glob');
  });

  it('reads only the pattern as a glob, not the workspace folder holding it', async () => {
    const odd = await fs.mkdtemp(path.join(os.tmpdir(), 'ota-fw[v2]{old}-'));
    try {
      await fs.mkdir(path.join(odd, 'build'));
      await fs.writeFile(path.join(odd, 'build', 'app.bin'), 'x');
      assert.deepEqual(await findFiles(odd, 'build/*.bin'), [path.join(odd, 'build/app.bin')]);
      assert.deepEqual(await findFiles(odd, 'build/app.bin'), [path.join(odd, 'build/app.bin')]);
    } finally {
      await fs.rm(odd, { recursive: true, force: true });
    }
  });

  it('stops when aborted', async () => {
    await assert.rejects(findFiles(dir, '**/*.bin', AbortSignal.abort()));
  });

  it('after a build, reports a channel whose artifact matches nothing, at its artifact value', async () => {
    const c = minimal();
    const channels = c.channels as Record<string, unknown>[];
    channels.push({ ...channels[0], name: 'mcu', artifact: 'zephyr/build/zephyr/*.signed.bin' });
    channels.push({ ...channels[0], name: 'ble', artifact: 'ble/out/*.bin', build: { command: 'make -C ble' } });
    const text = JSON.stringify(c, null, 2);
    const result = check(text);
    assert.deepEqual(result.diagnostics, []);
    const diagnostics = await checkArtifacts(result, dir);
    assert.equal(diagnostics.length, 1);
    const [d] = diagnostics;
    assert.equal(d!.code, 'artifact-missing');
    assert.equal(d!.offset, text.indexOf('"ble/out/*.bin"'));
    assert.match(d!.message, /channels\[2\]\.artifact: "ble\/out\/\*\.bin" matches no file .* \(run "make -C ble" first, or fix the path\)/);
    assert.deepEqual(await checkArtifacts(result, dir, { only: (ch) => ch.name !== 'ble' }), []);
  });
});
