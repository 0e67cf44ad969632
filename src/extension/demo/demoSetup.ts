import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { findArtifact } from '../../core/build/findArtifact';
import { loadWorkspaceConfig, requireWorkspaceConfig } from '../../core/config/loader';
import type { LoadedConfig } from '../../core/config/loader';
import type { Channel, OtaConfig } from '../../core/config/model';
import { OtaError } from '../../core/errors';
import { writeAtomically } from '../../core/files/atomicOutput';
import { buildSyntheticEspImage } from '../../device/simulator/syntheticImage';
import { demoFactoryVersion } from './demoFleet';

/** Where a demo takes its product, channel and image from. */
export interface DemoSetup {
  /** The folder whose `.vscode/ota.json` describes the demo (a workspace folder, or the demo's own). */
  folder: string;
  loaded: LoadedConfig & { config: OtaConfig };
  channel: Channel;
  /** True when the demo brought its own setup (the user's workspace was left alone). */
  own: boolean;
  /** The channel's image the demo releases (the newest match of its artifact pattern). */
  artifact: string;
}

/** The files of the demo's own setup, relative to its folder: what "Copy the Demo Setup" copies. */
export const demoSetupFiles = ['.vscode/ota.json', 'build/smart-plug.bin'] as const;

const demoConfig = `// OTA Workbench demo: a throw-away setup kept in the extension's storage ("OTA: Copy the Demo
// Setup into This Workspace" copies it into a folder of yours).
{
  "products": [
    {
      "pid": "plug01",
      "name": "Smart Plug (demo)",
      // plug-key-2023 stays bound: the first fleet shipped with it.
      "firmwareKeys": ["plug-key-2024", "plug-key-2023"]
    }
  ],
  "channels": [
    {
      "name": "main",
      "pid": "plug01",
      "firmwareKey": "plug-key-2024",
      "format": "esp-idf",
      "artifact": "build/smart-plug.bin",
      "version": { "source": "image" }
    }
  ],
  "servers": [{ "type": "local", "name": "local", "host": "127.0.0.1" }],
  "timeouts": { "offlineSeconds": 60, "minBandwidthKbps": 20, "pollIntervalSeconds": 10 },
  "defaultServer": "local"
}
`;

/**
 * The demo releases the first workspace folder's first channel when that channel has a built
 * image (a team sees its own product); otherwise it brings everything itself into `ownFolder`
 * (the extension's storage): the config above and an ESP-IDF app image the simulator synthesizes,
 * so it runs in any workspace and with no folder open, and writes nothing into the workspace.
 */
export async function chooseDemoSetup(workspaceFolders: readonly string[], ownFolder: string, signal: AbortSignal): Promise<DemoSetup> {
  for (const folder of workspaceFolders) {
    const loaded = await loadWorkspaceConfig(folder).catch(() => undefined);
    const config = loaded?.config;
    const channel = config?.channels[0];
    if (!loaded || !config || !channel) continue;
    const built = await findArtifact(channel, folder, signal).then(
      (a) => a.path,
      () => undefined,
    );
    if (built) return { folder, loaded: { ...loaded, config }, channel, own: false, artifact: built };
  }
  await writeOwnSetup(ownFolder);
  const loaded = await requireWorkspaceConfig(ownFolder);
  return { folder: ownFolder, loaded, channel: loaded.config.channels[0]!, own: true, artifact: path.join(ownFolder, 'build', 'smart-plug.bin') };
}

/** Writes the demo's own config and image when missing (kept between runs; rewritten if damaged). */
async function writeOwnSetup(folder: string): Promise<void> {
  const configFile = path.join(folder, '.vscode', 'ota.json');
  if ((await readFile(configFile, 'utf8').catch(() => '')) !== demoConfig) {
    await mkdir(path.dirname(configFile), { recursive: true });
    await writeAtomically(configFile, (out) => out.write(Buffer.from(demoConfig)));
  }
  const image = path.join(folder, 'build', 'smart-plug.bin');
  if (!(await stat(image).catch(() => undefined))?.isFile()) {
    await mkdir(path.dirname(image), { recursive: true });
    // ESP32-S2 (chip id 2), 160 KiB: the size of a small real app, slow enough to watch at the demo's speed.
    const bytes = buildSyntheticEspImage({ version: demoFactoryVersion, size: 160 * 1024, projectName: 'smart_plug', chipId: 2 });
    await writeAtomically(image, (out) => out.write(bytes));
  }
}

/**
 * Copies the demo's own setup into a workspace folder. Refuses to replace an existing
 * `.vscode/ota.json` (the team's config) and says where it is.
 */
export async function copyDemoSetup(ownFolder: string, target: string): Promise<string[]> {
  await writeOwnSetup(ownFolder);
  const existing = path.join(target, '.vscode', 'ota.json');
  if (await stat(existing).catch(() => undefined)) {
    throw new OtaError('this folder already has an OTA config; the demo setup would replace it', {
      where: existing,
      hint: 'copy it into an empty folder, or rename the existing .vscode/ota.json first',
    });
  }
  const written: string[] = [];
  for (const relative of demoSetupFiles) {
    const to = path.join(target, ...relative.split('/'));
    await mkdir(path.dirname(to), { recursive: true });
    await writeFile(to, await readFile(path.join(ownFolder, ...relative.split('/'))), { flag: 'wx' });
    written.push(relative);
  }
  return written;
}

