import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Locator } from 'playwright-core';
import { repoRoot } from '../host/codeServer';
import { freePort } from '../host/processes';
import { Workbench } from './workbench';

const fixtureWorkspace = path.join(repoRoot, 'test', 'fixtures', 'workspace');

/**
 * The second folder: another product on another channel, whose build is a shell line that copies
 * a prebuilt ESP-IDF image into place (no toolchain here), so Build Firmware can succeed in it
 * while the first folder's `idf.py build` cannot.
 */
const lampConfig = (port: number) => ({
  products: [{ pid: 'lamp02', name: 'Desk Lamp', firmwareKeys: ['lamp-key-2025'] }],
  channels: [
    {
      name: 'lamp',
      pid: 'lamp02',
      firmwareKey: 'lamp-key-2025',
      format: 'esp-idf',
      build: { command: 'mkdir -p build && cp firmware/lamp.bin build/lamp.bin' },
      artifact: 'build/lamp.bin',
      version: { source: 'image' },
    },
  ],
  // Its own local server, on another port than the first folder's (8080).
  servers: [{ type: 'local', name: 'lamp-local', host: '127.0.0.1', port }],
  devices: [{ name: 'desk-lamp', deviceId: 'lamp-0001', logParser: 'esp-idf', expect: { pid: 'lamp02', firmwareKey: 'lamp-key-2025', channel: 'lamp' } }],
  defaultServer: 'lamp-local',
});

interface Row {
  level: number;
  label: string;
  description: string;
}

describe('OTA view in a multi-root workspace (e2e)', function () {
  this.timeout(240_000);
  let bench: Workbench;
  let dir: string;
  let plug: string;
  let lamp: string;
  let lampPort: number;

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ota-multi-root-'));
    plug = path.join(dir, 'plug-fw');
    lamp = path.join(dir, 'lamp-fw');
    await fs.cp(fixtureWorkspace, plug, { recursive: true });
    await fs.cp(fixtureWorkspace, lamp, { recursive: true });
    lampPort = await freePort();
    await fs.writeFile(path.join(lamp, '.vscode', 'ota.json'), JSON.stringify(lampConfig(lampPort), null, 2) + '\n');
    await fs.mkdir(path.join(lamp, 'firmware'));
    await fs.copyFile(path.join(repoRoot, 'test', 'fixtures', 'esp-idf', 'esp_idf_blink_esp32s2.bin'), path.join(lamp, 'firmware', 'lamp.bin'));
    const file = path.join(dir, 'firmware.code-workspace');
    await fs.writeFile(file, JSON.stringify({ folders: [{ path: 'plug-fw' }, { path: 'lamp-fw' }] }, null, 2) + '\n');
    bench = await Workbench.openWorkspaceFile(file);
    await bench.page.setViewportSize({ width: 1280, height: 1000 });
  });

  after(async () => {
    await bench?.close();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('shows one root per folder, each with its own channels, products and devices', async () => {
    await bench.openOtaView();
    const rows = bench.page.locator('.part.sidebar .monaco-list-row');
    // The last row of the second folder: both trees are drawn by then.
    await rows.filter({ hasText: 'lamp-key-2025' }).waitFor({ timeout: 60_000 });
    await rows.filter({ hasText: 'plug-key-2023' }).waitFor({ timeout: 30_000 });
    const roots = subtrees(await treeRows(bench));
    console.log(`      roots: ${[...roots.keys()].join(', ')}`);
    assert.deepEqual([...roots.keys()], ['plug-fw', 'lamp-fw']);
    const plugRows = roots.get('plug-fw')!.map((r) => r.label);
    const lampRows = roots.get('lamp-fw')!.map((r) => r.label);
    for (const label of ['main', 'plug01', 'plug-key-2024', 'plug-key-2023', 'bench-plug']) assert.ok(plugRows.includes(label), `plug-fw lists ${label}: ${plugRows.join(', ')}`);
    for (const label of ['lamp', 'lamp02', 'lamp-key-2025', 'desk-lamp', 'lamp-local']) assert.ok(lampRows.includes(label), `lamp-fw lists ${label}: ${lampRows.join(', ')}`);
    for (const label of ['lamp', 'lamp02', 'desk-lamp', 'lamp-local']) assert.ok(!plugRows.includes(label), `plug-fw does not list ${label}`);
    for (const label of ['main', 'plug01', 'bench-plug']) assert.ok(!lampRows.includes(label), `lamp-fw does not list ${label}`);
    console.log(`      screenshot: ${await bench.screenshot('ota-view-multi-root')}`);
  });

  it('a channel row of the second folder opens that folder’s config at the channel', async () => {
    await channelRow(bench, 'lamp').click();
    const tab = bench.page.locator('.tabs-container .tab.active', { hasText: 'ota.json' });
    await tab.waitFor({ timeout: 15_000 });
    // The editor shows the second folder's file: its breadcrumbs start with the folder, its text has the lamp's channel.
    await bench.page.locator('.breadcrumbs-control', { hasText: 'lamp-fw' }).waitFor({ timeout: 15_000 });
    await bench.page.locator('.editor-group-container.active .view-lines', { hasText: 'lamp-key-2025' }).waitFor({ timeout: 15_000 });
    assert.equal(await bench.page.locator('.editor-group-container.active .view-lines', { hasText: 'plug01' }).count(), 0);
  });

  it('Build Firmware on that channel builds in that folder, and only its row turns built', async () => {
    const lampChannel = channelRow(bench, 'lamp');
    assert.equal(await description(lampChannel), 'not built');
    assert.equal(await description(channelRow(bench, 'main')), 'not built');
    await lampChannel.hover();
    await lampChannel.locator('.actions .action-label[aria-label="Build Firmware"]').click({ timeout: 15_000 });
    // The artifact lands in the second folder, written by its own build command.
    await waitForFile(path.join(lamp, 'build', 'lamp.bin'), 60_000);
    await bench.page
      .locator('.part.sidebar .monaco-list-row', { has: bench.page.locator('.label-name', { hasText: /^lamp$/ }) })
      .filter({ has: bench.page.locator('.label-description', { hasText: /^built/ }) })
      .waitFor({ timeout: 30_000 });
    assert.equal(await description(channelRow(bench, 'main')), 'not built');
    await fs.stat(path.join(plug, 'build')).then(
      () => assert.fail('the first folder got a build directory'),
      () => undefined,
    );
    assert.equal(await bench.page.locator('.notification-toast', { hasText: /Build of \S+ failed/ }).count(), 0);
    console.log(`      screenshot: ${await bench.screenshot('ota-view-multi-root-built')}`);
  });

  it('Start on the second folder’s server row starts that folder’s local server, on its port', async () => {
    const row = channelRow(bench, 'lamp-local');
    assert.match(await description(row), new RegExp(`^stopped · local 127\\.0\\.0\\.1:${lampPort}`));
    await row.hover();
    await row.locator('.actions .action-label[aria-label="Start Local Server"]').click({ timeout: 15_000 });
    await bench.waitForToast(`Started the local OTA server on 127.0.0.1:${lampPort}.`);
    await bench.page
      .locator('.part.sidebar .monaco-list-row', { has: bench.page.locator('.label-name', { hasText: /^lamp-local$/ }) })
      .filter({ has: bench.page.locator('.label-description', { hasText: /^running/ }) })
      .waitFor({ timeout: 30_000 });
    await bench.page.locator('.statusbar-item', { hasText: `OTA 127.0.0.1:${lampPort}` }).waitFor({ timeout: 30_000 });
    // The first folder's server (another port) is not the one running.
    assert.match(await description(channelRow(bench, 'local')), /^stopped/);
  });
});

/** The OTA view's rows on screen, in the order they are shown (the list reuses its row elements). */
async function treeRows(bench: Workbench): Promise<Row[]> {
  const rows = await bench.page.locator('.part.sidebar .monaco-list-row').evaluateAll((els) =>
    els.map((e) => ({
      index: Number(e.getAttribute('data-index')),
      level: Number(e.getAttribute('aria-level')),
      label: e.querySelector('.label-name')?.textContent?.trim() ?? '',
      description: e.querySelector('.label-description')?.textContent?.trim() ?? '',
    })),
  );
  return rows.sort((a, b) => a.index - b.index).map(({ level, label, description }) => ({ level, label, description }));
}

/** The rows under each top-level row, by its label. */
function subtrees(rows: Row[]): Map<string, Row[]> {
  const roots = new Map<string, Row[]>();
  let current: Row[] | undefined;
  for (const row of rows) {
    if (row.level === 1) roots.set(row.label, (current = []));
    else current?.push(row);
  }
  return roots;
}

/** A row by its exact label (channel, server …). */
function channelRow(bench: Workbench, name: string): Locator {
  return bench.page.locator('.part.sidebar .monaco-list-row', { has: bench.page.locator('.label-name', { hasText: new RegExp(`^${name}$`) }) }).first();
}

async function description(row: Locator): Promise<string> {
  return ((await row.locator('.label-description').textContent()) ?? '').trim();
}

async function waitForFile(file: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await fs.stat(file).then(() => true, () => false))) {
    if (Date.now() > deadline) throw new Error(`${file} was not written within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
