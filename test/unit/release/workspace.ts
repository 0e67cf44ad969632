import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { espBlink, mcubootDir } from '../../helpers/fixtures';
import { scratchDir } from '../../helpers/scratchDir';

/**
 * A throwaway firmware workspace: two channels whose "builds" are shell commands that copy the
 * fixtures into build/, like a real build writes its artifact.
 */
export function makeWorkspace(): string {
  const folder = scratchDir('ota-ws-');
  mkdirSync(join(folder, '.vscode'));
  mkdirSync(join(folder, 'fw'));
  copyFileSync(espBlink, join(folder, 'fw', 'blink.src'));
  copyFileSync(join(mcubootDir, 'payload.bin'), join(folder, 'fw', 'payload.src'));
  writeFileSync(join(folder, 'fw', 'VERSION'), '1.0.0\n');
  const config = {
    products: [{ pid: 'p1', name: 'Plug', firmwareKeys: ['k1'] }],
    channels: [
      {
        name: 'main',
        pid: 'p1',
        firmwareKey: 'k1',
        format: 'esp-idf',
        build: { command: "mkdir -p build && cp fw/blink.src build/blink.bin && echo 'main/blink.c:3:5: warning: unused variable' >&2" },
        artifact: 'build/blink.bin',
        version: { source: 'fixed', value: '1.0.0' },
        signing: { key: '${env:OTA_TEST_SIGNING_KEY}', format: 'manifest' },
      },
      {
        name: 'mcu',
        pid: 'p1',
        firmwareKey: 'k1',
        format: 'mcuboot',
        build: { command: 'mkdir -p build && cp fw/payload.src build/zephyr.bin' },
        artifact: 'build/*.bin',
        version: { source: 'file', file: 'fw/VERSION', regex: '^(\\d+\\.\\d+\\.\\d+)' },
        signing: { key: '${env:OTA_TEST_SIGNING_KEY}', format: 'mcuboot' },
      },
    ],
    servers: [{ type: 'local', name: 'local', host: '127.0.0.1', port: 8070 }],
  };
  writeFileSync(join(folder, '.vscode', 'ota.json'), JSON.stringify(config, null, 2));
  return folder;
}
