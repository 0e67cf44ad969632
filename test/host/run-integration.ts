/**
 * Runs test/integration inside a real VS Code (code-server 4.100.3 = VS Code 1.100.3) driven by
 * headless Chromium: the workbench loads our extension from source and calls the suites' run().
 */
import { mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { format } from 'node:util';
import { launchChromium } from './browser';
import { ensureCodeServer, repoRoot, startCodeServer } from './codeServer';
import { extensionHostDeprecations } from './deprecations';

const overallTimeoutMs = Number(process.env.OTA_INTEGRATION_TIMEOUT_MS ?? 10 * 60_000);

async function main(): Promise<number> {
  await ensureCodeServer();
  const template = process.env.OTA_TEST_WORKSPACE ?? path.join(repoRoot, 'test', 'fixtures', 'workspace');
  const server = await startCodeServer({ workspaceTemplate: template });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    let resolveExit: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => (resolveExit = resolve));
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      // The host forwards console calls with their printf-style arguments (mocha's reporter uses %s/%d).
      const text = format(...(Array.isArray(args) ? args : [args]));
      (type === 'error' ? process.stderr : process.stdout).write(`${text}\n`);
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => resolveExit(code));
    page.on('pageerror', (err) => process.stderr.write(`[workbench page error] ${err.message}\n`));
    const url = server.url({
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: path.join(repoRoot, 'out', 'test', 'integration', 'index.js'),
    });
    process.stdout.write(`integration: code-server ${server.baseUrl}, workspace ${server.workspace}\n`);
    await page.goto(url);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<number>((resolve) => {
      timer = setTimeout(() => {
        process.stderr.write(`integration: no result after ${overallTimeoutMs} ms; giving up\n`);
        resolve(1);
      }, overallTimeoutMs);
    });
    let code = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    // What the workbench showed at the end: the first thing to look at when a suite failed.
    const shot = path.join(repoRoot, 'test-results', 'integration-end.png');
    await mkdir(path.dirname(shot), { recursive: true });
    await page.screenshot({ path: shot }).then(
      () => process.stdout.write(`integration: screenshot ${shot}\n`),
      () => undefined,
    );
    const deprecations = await extensionHostDeprecations(server);
    if (deprecations.length) {
      process.stderr.write(`integration: the extension host printed deprecation warnings:\n  ${deprecations.join('\n  ')}\n`);
      code = code || 1;
    }
    process.stdout.write(`integration: exit code ${code}\n`);
    return code;
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`integration: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
