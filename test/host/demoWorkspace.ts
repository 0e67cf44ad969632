import * as fs from 'node:fs/promises';
import * as net from 'node:net';
import * as path from 'node:path';
import { repoRoot } from './codeServer';
import { freePort } from './processes';

export interface DemoWorkspaceOptions {
  /** Write `otaWorkbench.demo.autoStart` into the copy's .vscode/settings.json. */
  autoStart: boolean;
  /** The embedded OTA server's port (in .vscode/ota.local.json); the config's own when it is free otherwise. */
  port?: number;
}

/**
 * A copy of the sample firmware workspace that the demo can run in. The sample has no ESP-IDF
 * toolchain, so the prebuilt ESP-IDF fixture image is copied to the channel's artifact path
 * (build/smart-plug.bin) in the copy only. Returns what it did, one line each, for the output.
 */
export async function prepareDemoWorkspace(target: string, options: DemoWorkspaceOptions): Promise<string[]> {
  const notes: string[] = [];
  // Kept between runs (force: false), so a person's edits to their copy stay.
  await fs.cp(path.join(repoRoot, 'test', 'fixtures', 'workspace'), target, { recursive: true, force: false, errorOnExist: false });
  const artifact = path.join(target, 'build', 'smart-plug.bin');
  if (!(await exists(artifact))) {
    await fs.mkdir(path.dirname(artifact), { recursive: true });
    await fs.copyFile(path.join(repoRoot, 'test', 'fixtures', 'esp-idf', 'esp_idf_blink_esp32s2.bin'), artifact);
    notes.push('copied the prebuilt test/fixtures/esp-idf/esp_idf_blink_esp32s2.bin to build/smart-plug.bin (no ESP-IDF toolchain here); the demo re-stamps its version');
  }
  const settingsFile = path.join(target, '.vscode', 'settings.json');
  const settings = (await exists(settingsFile)) ? (JSON.parse(await fs.readFile(settingsFile, 'utf8')) as Record<string, unknown>) : {};
  if (options.autoStart) settings['otaWorkbench.demo.autoStart'] = true;
  else delete settings['otaWorkbench.demo.autoStart'];
  await fs.writeFile(settingsFile, JSON.stringify(settings, null, 2) + '\n');
  if (options.autoStart) notes.push('set otaWorkbench.demo.autoStart in .vscode/settings.json: the demo runs when the workbench opens');
  const port = options.port ?? ((await portFree(8080)) ? undefined : await freePort());
  if (port !== undefined) {
    await fs.writeFile(path.join(target, '.vscode', 'ota.local.json'), JSON.stringify({ servers: [{ type: 'local', name: 'local', host: '127.0.0.1', port }] }, null, 2) + '\n');
    notes.push(`the embedded OTA server uses port ${port} (.vscode/ota.local.json)`);
  }
  return notes;
}

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer().once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}
