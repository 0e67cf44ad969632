/**
 * Runs the same integration suites in desktop VS Code through @vscode/test-electron, on machines
 * that can download VS Code (on Linux without a display: `xvfb-run -a npm run test:electron`).
 */
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { repoRoot } from './codeServer';

async function main(): Promise<void> {
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'ota-electron-'));
  const workspace = path.join(scratch, 'workspace');
  await fs.cp(process.env.OTA_TEST_WORKSPACE ?? path.join(repoRoot, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
  try {
    await runTests({
      version: process.env.VSCODE_VERSION ?? '1.100.3',
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: path.join(repoRoot, 'out', 'test', 'integration', 'index.js'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', path.join(scratch, 'user-data')],
    });
  } finally {
    await fs.rm(scratch, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`test:electron: ${message}\n`);
  if (/ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN/.test(message)) {
    process.stderr.write('VS Code could not be downloaded from this machine; `npm test` runs the same suites in code-server, offline.\n');
  }
  process.exit(1);
});
