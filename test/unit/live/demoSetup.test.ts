import * as assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { OtaError } from '../../../src/core/errors';
import { parseEspIdfImage } from '../../../src/core/image/espIdfImage';
import { chooseDemoSetup, copyDemoSetup, demoSetupFiles } from '../../../src/extension/demo/demoSetup';
import { removeDir, tempDir } from '../server/helpers/server';

/** Every file under `dir`, relative, sorted: what a folder holds before and after. */
async function listing(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}

const teamConfig = JSON.stringify({
  products: [{ pid: 'lamp01', name: 'Lamp', firmwareKeys: ['lamp-key'] }],
  channels: [{ name: 'main', pid: 'lamp01', firmwareKey: 'lamp-key', format: 'raw', artifact: 'out/lamp.bin', version: { source: 'fixed', value: '2.0.0' } }],
});

describe('the demo brings its own setup (works in any workspace and with no folder open)', () => {
  let root: string;
  let own: string;
  const signal = new AbortController().signal;
  beforeEach(async () => {
    root = await tempDir('ota-demo-setup-');
    own = path.join(root, 'extension-storage', 'demo', 'setup');
  });
  afterEach(() => removeDir(root));

  it('with no folder: writes its config and a valid ESP-IDF image (embedded 1.0.0) into its own storage', async () => {
    const setup = await chooseDemoSetup([], own, signal);
    assert.equal(setup.own, true);
    assert.equal(setup.folder, own);
    assert.equal(setup.channel.name, 'main');
    assert.equal(setup.channel.format, 'esp-idf');
    assert.deepEqual(setup.loaded.config.products[0]?.firmwareKeys, ['plug-key-2024', 'plug-key-2023']);
    const image = path.join(own, 'build', 'smart-plug.bin');
    assert.equal(setup.artifact, image);
    const parsed = parseEspIdfImage(await readFile(image), image);
    assert.equal(parsed.appDescription?.version, '1.0.0');
    assert.deepEqual(await listing(own), [...demoSetupFiles].map((f) => f.split('/').join(path.sep)).sort());
  });

  it("uses a workspace channel that has a built image, and writes nothing of its own", async () => {
    const folder = path.join(root, 'lamp');
    await mkdir(path.join(folder, '.vscode'), { recursive: true });
    await mkdir(path.join(folder, 'out'));
    await writeFile(path.join(folder, '.vscode', 'ota.json'), teamConfig);
    await writeFile(path.join(folder, 'out', 'lamp.bin'), Buffer.alloc(4096, 7));
    const setup = await chooseDemoSetup([folder], own, signal);
    assert.equal(setup.own, false);
    assert.equal(setup.folder, folder);
    assert.equal(setup.channel.pid, 'lamp01');
    assert.equal(setup.artifact, path.join(folder, 'out', 'lamp.bin'));
    assert.deepEqual(await readdir(root), ['lamp']);
  });

  it('leaves a workspace whose channel is not built alone and runs on its own setup', async () => {
    const folder = path.join(root, 'lamp');
    await mkdir(path.join(folder, '.vscode'), { recursive: true });
    await writeFile(path.join(folder, '.vscode', 'ota.json'), teamConfig);
    const before = await listing(folder);
    const setup = await chooseDemoSetup([folder], own, signal);
    assert.equal(setup.own, true);
    assert.deepEqual(await listing(folder), before);
  });

  it('rewrites a damaged image or config of its own setup on the next run', async () => {
    await chooseDemoSetup([], own, signal);
    await writeFile(path.join(own, '.vscode', 'ota.json'), '{ "products": [');
    const setup = await chooseDemoSetup([], own, signal);
    assert.equal(setup.channel.name, 'main');
  });

  it('copies its setup into a folder on request, and never over an existing config', async () => {
    const empty = path.join(root, 'empty');
    await mkdir(empty);
    assert.deepEqual(await copyDemoSetup(own, empty), [...demoSetupFiles]);
    const copied = await chooseDemoSetup([empty], path.join(root, 'other-storage'), signal);
    assert.equal(copied.own, false, 'the copied setup is a complete workspace: config and built image');

    const team = path.join(root, 'team');
    await mkdir(path.join(team, '.vscode'), { recursive: true });
    await writeFile(path.join(team, '.vscode', 'ota.json'), teamConfig);
    await assert.rejects(copyDemoSetup(own, team), (err: unknown) => err instanceof OtaError && /already has an OTA config/.test(err.message));
    assert.equal(await readFile(path.join(team, '.vscode', 'ota.json'), 'utf8'), teamConfig);
    assert.deepEqual(await listing(team), [path.join('.vscode', 'ota.json')]);
  });
});
