import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { ota } from '../cli/inProcess';
import { OtaError } from '../../../src/core/errors';
import { loadWorkspaceConfig } from '../../../src/core/config/loader';
import type { BuildSystem } from '../../../src/core/init/detect';
import { fixturePath } from '../../helpers/fixtures';


async function copyFixture(system: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `ota-init-${system}-`));
  await fs.cp(fixturePath('workspaces', system), dir, { recursive: true });
  return dir;
}

const expected: Record<Exclude<BuildSystem, 'unknown'>, { command: string; artifact: string; format: string }> = {
  'esp-idf': { command: 'idf.py build', artifact: 'build/blink.bin', format: 'esp-idf' },
  platformio: { command: 'pio run -e esp32dev', artifact: '.pio/build/esp32dev/firmware.bin', format: 'esp-idf' },
  zephyr: { command: 'west build -b nrf52840dk/nrf52840 .', artifact: 'build/zephyr/zephyr.signed.bin', format: 'mcuboot' },
  'arduino-cli': { command: 'arduino-cli compile --fqbn esp32:esp32:esp32s3 --output-dir build .', artifact: 'build/blink.ino.bin', format: 'esp-idf' },
  cmake: { command: 'cmake -B build && cmake --build build', artifact: 'build/*.bin', format: 'raw' },
  make: { command: 'make', artifact: 'build/*.bin', format: 'raw' },
};

describe('ota init', () => {
  const dirs: string[] = [];
  after(async () => {
    for (const d of dirs) await fs.rm(d, { recursive: true, force: true });
  });

  for (const [system, want] of Object.entries(expected)) {
    it(`${system}: detects it and writes a starter config that validates`, async () => {
      const dir = await copyFixture(system);
      dirs.push(dir);
      const json = await ota(dir, 'init', '--json');
      assert.equal(json.code, 0, json.stderr);
      const report = JSON.parse(json.stdout) as { buildSystem: string; file: string; replaced: boolean };
      assert.equal(report.buildSystem, system);
      assert.equal(report.replaced, false);
      assert.equal(report.file, path.join(dir, '.vscode', 'ota.json'));
      const loaded = await loadWorkspaceConfig(dir);
      assert.deepEqual(loaded.diagnostics.filter((d) => d.severity === 'error'), []);
      const channel = loaded.config!.channels[0]!;
      assert.deepEqual({ command: channel.build?.command, artifact: channel.artifact, format: channel.format }, want);
      assert.deepEqual([...new Set(loaded.diagnostics.map((d) => d.code))], ['placeholder'], 'only the placeholders are flagged');
      const validate = await ota(dir, 'config', 'validate');
      assert.equal(validate.code, 0, validate.stderr);
      assert.match(validate.stdout, /^ok: \.vscode\/ota\.json: 0 errors, 4 warnings$/m);
    });
  }

  it('never overwrites an existing config without --force', async () => {
    const dir = await copyFixture('make');
    dirs.push(dir);
    const file = path.join(dir, '.vscode', 'ota.json');
    await fs.mkdir(path.dirname(file));
    await fs.writeFile(file, '{ "mine": true }');
    // Without --json the OtaError goes to main, which prints it and exits 1.
    await assert.rejects(ota(dir, 'init'), (err: unknown) => err instanceof OtaError && err.code === 'config-exists' && /--force/.test(err.hint ?? ''));
    assert.equal(await fs.readFile(file, 'utf8'), '{ "mine": true }');
    const refusedJson = await ota(dir, 'init', '--json');
    assert.equal(refusedJson.code, 1);
    assert.equal(JSON.parse(refusedJson.stdout).error.code, 'config-exists');
    assert.equal(await fs.readFile(file, 'utf8'), '{ "mine": true }');
    const forced = await ota(dir, 'init', '--force');
    assert.equal(forced.code, 0);
    assert.match(forced.stdout, /^replaced \.vscode\/ota\.json for Make \(found Makefile\)/);
    assert.match(await fs.readFile(file, 'utf8'), /"command": "make"/);
  });

  it('writes a generic starter in a folder with no known build system', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ota-init-empty-'));
    dirs.push(dir);
    const result = await ota(dir, 'init');
    assert.equal(result.code, 0);
    assert.match(result.stdout, /for unknown build system/);
    assert.ok((await loadWorkspaceConfig(dir)).config);
  });
});

describe('ota config validate', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ota-validate-'));
    await fs.cp(fixturePath('workspace'), dir, { recursive: true });
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('exits 0 for the sample workspace', async () => {
    const result = await ota(dir, 'config', 'validate');
    assert.deepEqual([result.code, result.stderr], [0, '']);
    assert.equal(result.stdout, 'ok: .vscode/ota.json: 0 errors, 0 warnings\n');
  });

  it('exits 1 and prints file:line:col: message for each error', async () => {
    const file = path.join(dir, '.vscode', 'ota.json');
    const text = (await fs.readFile(file, 'utf8')).replace('"firmwareKey": "plug-key-2024"', '"firmwareKey": "plug-key-2025"');
    await fs.writeFile(file, text);
    const local = '{\n  "servers": [{ "name": "local", "port": 0 }]\n}\n';
    await fs.writeFile(path.join(dir, '.vscode', 'ota.local.json'), local);
    const result = await ota(dir, 'config', 'validate');
    assert.equal(result.code, 1);
    const line = text.split('\n').findIndex((l) => l.includes('plug-key-2025')) + 1;
    const column = text.split('\n')[line - 1]!.indexOf('"plug-key-2025"') + 1;
    assert.deepEqual(result.stderr.trim().split('\n'), [
      `.vscode/ota.json:${line}:${column}: error: channels[0].firmwareKey: firmware key "plug-key-2025" is not bound to PID "plug01" (bound: "plug-key-2024", "plug-key-2023"), so no device of this product would be offered these images. Use a bound key, or add "plug-key-2025" to that product's firmwareKeys if devices were shipped with it.`,
      `.vscode/ota.local.json:2:${local.split('\n')[1]!.indexOf('0 }') + 1}: error: servers[0].port: expected a number ≥ 1, found 0`,
    ]);
    assert.equal(result.stdout, '.vscode/ota.json + .vscode/ota.local.json: 2 errors, 0 warnings\n');
  });

  it('--json reports every diagnostic with its position', async () => {
    await fs.writeFile(path.join(dir, '.vscode', 'ota.json'), '{ "products": [], "channels": [], "defaultServer": "cloud" }');
    const result = await ota(dir, 'config', 'validate', '--json');
    assert.equal(result.code, 1);
    const report = JSON.parse(result.stdout) as { ok: boolean; diagnostics: { line: number; column: number; code: string }[] };
    assert.equal(report.ok, false);
    assert.deepEqual(report.diagnostics.map((d) => [d.line, d.column, d.code]), [[1, 52, 'unknown-server']]);
  });

  it('--artifacts also checks that build outputs exist', async () => {
    const before = await ota(dir, 'config', 'validate', '--artifacts');
    assert.equal(before.code, 1);
    assert.match(before.stderr, /channels\[0\]\.artifact: "build\/smart-plug\.bin" matches no file/);
    await fs.mkdir(path.join(dir, 'build'));
    await fs.writeFile(path.join(dir, 'build', 'smart-plug.bin'), 'image');
    assert.equal((await ota(dir, 'config', 'validate', '--artifacts')).code, 0);
  });

  it('--artifacts takes brace globs: build/*.{bin,hex} finds the HEX image', async () => {
    const file = path.join(dir, '.vscode', 'ota.json');
    const text = await fs.readFile(file, 'utf8');
    assert.ok(text.includes('"build/smart-plug.bin"'));
    await fs.writeFile(file, text.replace('"build/smart-plug.bin"', '"build/*.{bin,hex}"'));
    await fs.mkdir(path.join(dir, 'build'));
    await fs.writeFile(path.join(dir, 'build', 'smart-plug.elf'), 'not the image');
    const before = await ota(dir, 'config', 'validate', '--artifacts');
    assert.equal(before.code, 1);
    assert.match(before.stderr, /channels\[0\]\.artifact: "build\/\*\.\{bin,hex\}" matches no file/);
    await fs.writeFile(path.join(dir, 'build', 'smart-plug.hex'), ':00000001FF\n');
    const after = await ota(dir, 'config', 'validate', '--artifacts');
    assert.deepEqual([after.code, after.stderr], [0, '']);
  });

  it('exits 1 with a hint when there is no config, 2 on bad usage', async () => {
    const empty = await fs.mkdtemp(path.join(os.tmpdir(), 'ota-validate-none-'));
    try {
      await assert.rejects(ota(empty, 'config', 'validate'), /no OTA config/);
      const json = await ota(empty, 'config', 'validate', '--json');
      assert.equal(json.code, 1);
      assert.match(JSON.parse(json.stdout).error.hint, /ota init/);
      assert.equal((await ota(empty, 'config', 'validate', 'a', 'b')).code, 2);
    } finally {
      await fs.rm(empty, { recursive: true, force: true });
    }
  });
});
