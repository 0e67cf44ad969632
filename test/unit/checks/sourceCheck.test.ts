import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkConfigSources } from '../../../src/core/config/check';
import { checkSourceDeclarations, formatSourceProblem } from '../../../src/core/checks/sourceCheck';
import type { SourceProblem } from '../../../src/core/checks/sourceCheck';
import { scanSource } from '../../../src/core/checks/sourcePatterns';
import { scanWorkspaceSources } from '../../../src/core/checks/findSources';
import { applyTextEdits } from '../../../src/core/checks/textEdit';
import { readFixture } from '../config/helpers';

const configFile = '/ws/.vscode/ota.json';
const config = `{
  // two products; the plug's first fleet shipped with plug-key-2023
  "products": [
    { "pid": "plug01", "name": "Smart Plug", "firmwareKeys": ["plug-key-2024", "plug-key-2023"] },
    { "pid": "lamp02", "name": "Lamp", "firmwareKeys": ["lamp-key"] },
  ],
  "channels": [
    { "name": "main", "pid": "plug01", "firmwareKey": "plug-key-2024", "format": "esp-idf", "artifact": "a.bin", "version": { "source": "image" } },
    { "name": "mcu", "pid": "plug01", "firmwareKey": "plug-key-2024", "format": "raw", "artifact": "b.bin", "version": { "source": "git-describe" } },
    { "name": "main", "pid": "lamp02", "firmwareKey": "lamp-key", "format": "esp-idf", "artifact": "c.bin", "version": { "source": "image" } },
  ],
}
`;
const result = (text = config) => checkConfigSources({ file: configFile, text });

/** Checks source files given as name → text against the config. */
function checkFiles(files: Record<string, string>, text = config): SourceProblem[] {
  const decls = Object.entries(files).flatMap(([file, t]) => scanSource(file, t));
  return checkSourceDeclarations(decls, result(text));
}

describe('firmware sources checked against the config', () => {
  it('the sample workspace: main.c and sdkconfig.defaults agree with .vscode/ota.json', () => {
    const decls = [...scanSource('main/main.c', readFixture('workspace', 'main', 'main.c')), ...scanSource('sdkconfig.defaults', readFixture('workspace', 'sdkconfig.defaults'))];
    assert.ok(decls.some((d) => d.field === 'firmwareKey'), 'the sample declares its key');
    const sample = checkConfigSources({ file: configFile, text: readFixture('workspace', '.vscode', 'ota.json') });
    assert.deepEqual(checkSourceDeclarations(decls, sample), []);
  });

  it('a key bound to the PID of its channel is fine, old bound keys too', () => {
    assert.deepEqual(checkFiles({ 'a.c': '#define OTA_FW_KEY "plug-key-2023"\n#define OTA_CHANNEL "mcu"\n#define OTA_PID "plug01"\n' }), []);
  });

  it('an unbound key is reported at its string with bind / use-the-channel\'s-key fixes', () => {
    const text = '#define OTA_PID "plug01"\n#define OTA_CHANNEL "main"\n#define OTA_FW_KEY "plug-key-2099"\n';
    const [p, ...rest] = checkFiles({ '/ws/main/main.c': text });
    assert.equal(rest.length, 0);
    assert.equal(p!.code, 'key-not-bound');
    assert.equal(text.slice(p!.declaration.offset, p!.declaration.offset + p!.declaration.length), '"plug-key-2099"');
    assert.equal(
      formatSourceProblem(p!, 'main/main.c'),
      'main/main.c:3:20: error: OTA_FW_KEY: firmware key "plug-key-2099" is not bound to PID "plug01", which channel "main" uses (bound: "plug-key-2024", "plug-key-2023"), so devices flashed with this build are not offered its updates. Bind the key if devices were shipped with it, or build with a bound key.',
    );
    assert.deepEqual(
      p!.fixes.map((f) => [f.title, f.preferred === true]),
      [
        ['Bind plug-key-2099 to PID plug01 in ota.json', false],
        ["Change to the channel's key plug-key-2024", true],
        ['Use bound key plug-key-2023', false],
      ],
    );
    const bound = applyTextEdits(config, p!.fixes[0]!.edits);
    assert.ok(p!.fixes[0]!.edits.every((e) => e.file === configFile));
    assert.ok(bound.includes('"firmwareKeys": ["plug-key-2024", "plug-key-2023", "plug-key-2099"]') && bound.includes('// two products'));
    assert.deepEqual(checkFiles({ '/ws/main/main.c': text }, bound), []);
    const changed = applyTextEdits(text, p!.fixes[1]!.edits);
    assert.equal(changed, text.replace('plug-key-2099', 'plug-key-2024'));
    assert.deepEqual(checkFiles({ '/ws/main/main.c': changed }), []);
  });

  it('a key bound to another product is not bound to this channel\'s PID', () => {
    const [p] = checkFiles({ 'a.c': '#define OTA_CHANNEL "mcu"\n#define OTA_FW_KEY "lamp-key"\n' });
    assert.match(p!.message, /"lamp-key" is not bound to PID "plug01", which channel "mcu" uses/);
  });

  it('a channel name used by two products accepts a key bound to either, unless the PID is declared', () => {
    assert.deepEqual(checkFiles({ 'a.c': '#define OTA_CHANNEL "main"\n#define OTA_FW_KEY "lamp-key"\n' }), []);
    const [p, ...rest] = checkFiles({ 'a.c': '#define OTA_CHANNEL "main"\n#define OTA_FW_KEY "nobody"\n' });
    assert.equal(rest.length, 0);
    assert.match(p!.message, /"nobody" is not bound to PID "plug01" or "lamp02", which channel "main" uses/);
    assert.deepEqual(p!.fixes.slice(0, 2).map((f) => f.title), ['Bind nobody to PID plug01 in ota.json', 'Bind nobody to PID lamp02 in ota.json']);
    const [q] = checkFiles({ 'a.c': '#define OTA_PID "plug01"\n#define OTA_CHANNEL "main"\n#define OTA_FW_KEY "lamp-key"\n' });
    assert.match(q!.message, /"lamp-key" is not bound to PID "plug01", which channel "main" uses/);
  });

  it('a channel that does not exist for the PID offers its channels, closest first', () => {
    const text = '#define OTA_PID "plug01"\n#define OTA_CHANNEL "mcv"\n';
    const [p, ...rest] = checkFiles({ 'a.c': text });
    assert.equal(rest.length, 0);
    assert.equal(p!.code, 'unknown-channel');
    assert.match(p!.message, /channel "mcv" does not exist for PID "plug01" \(channels: "main", "mcu"\)/);
    assert.deepEqual(p!.fixes.map((f) => f.title), ['Change to mcu', 'Change to main']);
    assert.equal(applyTextEdits(text, p!.fixes[0]!.edits), text.replace('"mcv"', '"mcu"'));
  });

  it('an unknown PID is reported and its key is not checked against a guess', () => {
    const problems = checkFiles({ 'a.c': '#define OTA_PID "plug1"\n#define OTA_FW_KEY "nope"\n' });
    assert.deepEqual(problems.map((p) => [p.code, p.fixes.map((f) => f.title)]), [['unknown-pid', ['Change to plug01', 'Change to lamp02']]]);
  });

  it('the channel declared in one file gives the context for a key declared in another', () => {
    const problems = checkFiles({
      '/ws/sdkconfig.defaults': 'CONFIG_OTA_FW_KEY="lamp-key"\n',
      '/ws/main/ota_ids.h': '#define OTA_CHANNEL "mcu"\n',
    });
    assert.deepEqual(problems.map((p) => [p.declaration.file, p.code]), [['/ws/sdkconfig.defaults', 'key-not-bound']]);
    assert.match(problems[0]!.message, /^CONFIG_OTA_FW_KEY: firmware key "lamp-key" is not bound to PID "plug01", which channel "mcu" uses/);
  });

  it('with no channel or PID declared, a key must be bound to some product', () => {
    assert.deepEqual(checkFiles({ 'a.c': '#define OTA_FW_KEY "lamp-key"\n' }), []);
    const [p] = checkFiles({ 'a.c': '#define OTA_FW_KEY "lamp-kye"\n' });
    assert.match(p!.message, /not bound to any product/);
    assert.deepEqual(p!.fixes.map((f) => f.title), ['Bind lamp-kye to PID plug01 in ota.json', 'Bind lamp-kye to PID lamp02 in ota.json', 'Use bound key lamp-key', 'Use bound key plug-key-2024', 'Use bound key plug-key-2023']);
  });

  it('PlatformIO fixes rewrite the value between the escaped quotes', () => {
    const text = '[env:esp32dev]\nplatform = espressif32\nbuild_flags = -DOTA_CHANNEL=\\"main\\" -DOTA_PID=\\"plug01\\" -DOTA_FW_KEY=\\"old-key\\"\n';
    const [p] = checkFiles({ 'platformio.ini': text });
    const fix = p!.fixes.find((f) => f.title.startsWith("Change to the channel's key"))!;
    assert.equal(applyTextEdits(text, fix.edits), text.replace('\\"old-key\\"', '\\"plug-key-2024\\"'));
  });

  it('placeholders and unparsable configs are left alone', () => {
    assert.deepEqual(checkFiles({ 'a.c': '#define OTA_FW_KEY "YOUR_FIRMWARE_KEY"\n' }), []);
    assert.deepEqual(checkFiles({ 'a.c': '#define OTA_FW_KEY "x"\n' }, '{ "products": [ '), []);
  });

  it('walks a workspace for declarations, skipping build output and dependencies', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ota-sources-'));
    try {
      const files: Record<string, string> = {
        'main/main.c': '#define OTA_FW_KEY "k-main"\n',
        'sdkconfig.defaults': 'CONFIG_OTA_CHANNEL="main"\n',
        'build/config/sdkconfig.h': '#define CONFIG_OTA_FW_KEY "generated"\n#define OTA_FW_KEY "generated"\n',
        'managed_components/x/ota.h': '#define OTA_FW_KEY "vendored"\n',
        'docs/notes.md': '#define OTA_FW_KEY "prose"\n',
      };
      for (const [name, text] of Object.entries(files)) {
        await fs.mkdir(path.dirname(path.join(dir, name)), { recursive: true });
        await fs.writeFile(path.join(dir, name), text);
      }
      const { declarations, files: scanned } = await scanWorkspaceSources(dir);
      assert.equal(scanned, 2);
      assert.deepEqual(declarations.map((d) => [path.relative(dir, d.file), d.value]), [
        [path.join('main', 'main.c'), 'k-main'],
        ['sdkconfig.defaults', 'main'],
      ]);
      const controller = new AbortController();
      controller.abort();
      await assert.rejects(scanWorkspaceSources(dir, { signal: controller.signal }));
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
