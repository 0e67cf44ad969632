import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LiveViewHandle } from '../../src/extension/live/liveView';
import type { PtyPair } from '../../src/device/simulator/ptyPair';
import { openPtyPair } from '../../src/device/simulator/ptyPair';
import { ManagementClient } from '../../src/providers/ota/managementClient';
import type { RunningServer } from '../../src/server/startServer';
import { startServer } from '../../src/server/startServer';
import type { ViewDescription } from '../../webview/protocol';
import { keepFile, quietWorkbench, viewUntil } from './helpers/workbench';

describe('live update view on the config’s default server, with a serial console', function () {
  this.timeout(60_000);
  const folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
  const localFile = path.join(folder, '.vscode', 'ota.local.json');
  const tokenEnv = 'OTA_ITEST_REMOTE_TOKEN';
  let scratch: string;
  let server: RunningServer;
  let pty: PtyPair;
  const restore: (() => Promise<void>)[] = [];

  before(async () => {
    // This view must connect to the config's remote server: no embedded server, demo or open view from an earlier suite.
    restore.push(await quietWorkbench(), await keepFile(localFile));
    scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'ota-live-remote-'));
    server = await startServer({ dataDir: path.join(scratch, 'server'), port: 0 });
    // The test runs in the extension host, so the ${env:…} reference resolves to this token.
    process.env[tokenEnv] = server.token;
    pty = await openPtyPair(path.join(scratch, 'pty'));
    await fs.writeFile(
      localFile,
      JSON.stringify({
        servers: [{ type: 'ota-workbench', name: 'staging', url: server.url, token: `\${env:${tokenEnv}}` }],
        defaultServer: 'staging',
        devices: [
          {
            name: 'bench-plug',
            serial: { path: pty.monitor, baud: 115200 },
            logParser: 'esp-idf',
            // The board's own banner, read by a rule from the config before the esp-idf parser.
            logRules: [{ name: 'banner', pattern: '^PLUG fw (?<version>\\S+) on (?<channel>\\w+)$', kind: 'app-info' }],
          },
        ],
      }),
    );
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    delete process.env[tokenEnv];
    await pty?.close();
    await server?.close(500);
    await fs.rm(scratch, { recursive: true, force: true });
    for (const undo of restore.splice(0).reverse()) await undo();
  });

  it('connects through the management API with the token from the config’s reference, and shows the server’s events and the serial console', async () => {
    assert.equal(await vscode.commands.executeCommand<boolean>('ota.stopServer'), false, 'the embedded server must not run for this test');
    const view = await vscode.commands.executeCommand<LiveViewHandle>('ota.openLiveView');
    assert.ok(view, 'OTA: Open Live Update View failed (its error is in the OTA Workbench log)');
    assert.deepEqual(view.source, { kind: 'remote', name: 'staging', url: server.url });
    await viewUntil(view, 'a live connection', (d) => d.connection === 'live');
    await new ManagementClient(server.url, server.token).bindKeys('plug01', ['plug-key-2025']);
    await viewUntil(view, 'the product.keys event', (d) => d.eventsApplied > 0);
    // An ESP-IDF boot line on the board's UART, read by the serial layer and the esp-idf parser.
    const uart = await fs.open(pty.device, 'w');
    try {
      const deadline = Date.now() + 20_000;
      let shown: ViewDescription | undefined;
      // The port may open after the first lines were written: keep printing, as a booting board does.
      while (Date.now() < deadline && !shown?.consoleDevices.includes('bench-plug')) {
        await uart.write('I (312) app_init: App version:      1.0.0\r\n');
        await new Promise((r) => setTimeout(r, 250));
        shown = await view.describe();
      }
      assert.ok(shown?.consoleDevices.includes('bench-plug'), `no line of bench-plug's serial console reached the view: ${JSON.stringify(shown)}`);
      assert.ok(!shown!.consoleDevices.some((d) => d.startsWith('demo-')), 'the stopped demo’s consoles are still shown for another server');
      await uart.write('PLUG fw 2.0.0-rc1 on beta\r\n');
      const read = await viewUntil(view, 'the config rule’s reading of the banner', (d) => d.consoleMeanings.includes('app-info version 2.0.0-rc1 channel beta'));
      assert.ok(read.consoleMeanings.includes('app-info version 1.0.0'), `the esp-idf parser still reads its lines: ${JSON.stringify(read.consoleMeanings)}`);
    } finally {
      await uart.close();
    }
  });
});
