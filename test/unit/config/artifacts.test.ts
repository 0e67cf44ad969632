import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkArtifacts } from '../../../src/core/config/artifacts';
import { findFiles, globToRegExp } from '../../../src/core/config/glob';
import { isSemver } from '../../../src/core/config/semver';
import { check, minimal } from './helpers';

describe('artifact globs', () => {
  let dir: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ota-artifacts-'));
    for (const f of ['build/app.bin', 'build/bootloader/bootloader.bin', '.pio/build/esp32dev/firmware.bin', 'zephyr/build/zephyr/zephyr.signed.bin', 'node_modules/x/app.bin']) {
      await fs.mkdir(path.dirname(path.join(dir, f)), { recursive: true });
      await fs.writeFile(path.join(dir, f), 'x');
    }
  });
  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('translates globs: * and ? stay in a segment, ** spans segments', () => {
    assert.ok(globToRegExp('build/*.bin').test('build/app.bin'));
    assert.ok(!globToRegExp('build/*.bin').test('build/bootloader/bootloader.bin'));
    assert.ok(globToRegExp('build/**/*.bin').test('build/app.bin'));
    assert.ok(globToRegExp('build/**/*.bin').test('build/bootloader/bootloader.bin'));
    assert.ok(globToRegExp('app?.bin').test('app1.bin'));
    assert.ok(globToRegExp('app[0-9].bin').test('app7.bin'));
    assert.ok(!globToRegExp('app[!0-9].bin').test('app7.bin'));
    assert.ok(globToRegExp('a+b(1).bin').test('a+b(1).bin'));
  });

  it('finds plain paths and globs, skipping node_modules', async () => {
    assert.deepEqual(await findFiles(dir, 'build/app.bin'), [path.join(dir, 'build/app.bin')]);
    assert.deepEqual(await findFiles(dir, './build/*.bin'), [path.join(dir, 'build/app.bin')]);
    assert.deepEqual(await findFiles(dir, '**/app.bin'), [path.join(dir, 'build/app.bin')]);
    assert.deepEqual(await findFiles(dir, '.pio/build/*/firmware.bin'), [path.join(dir, '.pio/build/esp32dev/firmware.bin')]);
    assert.deepEqual(await findFiles(dir, 'build'), [], 'a directory is not an artifact');
    assert.deepEqual(await findFiles(dir, 'nothing/*.bin'), []);
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

describe('semver', () => {
  it('accepts semantic versions and rejects near misses', () => {
    for (const v of ['0.0.0', '1.2.3', '10.20.30', '1.0.0-rc.1', '1.2.3+4', '2.0.1-alpha.beta+exp.sha.5114f85', '1.0.0-0A.is.legal']) assert.ok(isSemver(v), v);
    for (const v of ['1.0', '1', 'v1.2.3', '01.2.3', '1.2.03', '1.2.3-', '1.2.3+', '1.2.3-01', ' 1.2.3', '1.2.3.4']) assert.ok(!isSemver(v), v);
  });
});
