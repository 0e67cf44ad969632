import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../host/browser';
import { repoRoot } from '../host/codeServer';
import { freePort, killGroup } from '../host/processes';
import { resultsDir } from './workbench';

/**
 * `npm start` as a person runs it: the demo workspace (inside this git repository) opens with the
 * demo running and nothing covering it — no "git repository found in parent folders" prompt, no
 * "your application on port N is available" toast.
 */
describe('npm start (e2e)', function () {
  this.timeout(480_000);
  let child: ChildProcess | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const output: string[] = [];

  before(async () => {
    const password = randomBytes(9).toString('base64url');
    child = spawn(process.execPath, [path.join(repoRoot, 'out', 'test', 'host', 'start.js')], {
      cwd: repoRoot,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, OTA_PORT: String(await freePort()), OTA_START_PASSWORD: password },
    });
    child.stdout!.on('data', (c: Buffer) => output.push(c.toString()));
    child.stderr!.on('data', (c: Buffer) => output.push(c.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start printed no URL:\n${output.join('')}`)), 120_000);
      const look = () => {
        const m = /^\s+(http:\/\/127\.0\.0\.1:\d+\/\S+)$/m.exec(output.join(''));
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      };
      child!.stdout!.on('data', look);
      child!.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output.join('')}`)));
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(url);
    await page.locator('input[type="password"]').fill(password);
    await page.keyboard.press('Enter');
    await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    if (child) await killGroup(child);
  });

  it('opens the demo with no parent-git prompt and no port-forward toast', async () => {
    // The demo starts by itself: its live view opens once the server listens and devices poll.
    await page
      .locator('.tabs-container .tab', { hasText: /OTA Live/i })
      .first()
      // The extension host starts late on a loaded machine (after the workbench, the git extension…).
      .waitFor({ timeout: 240_000 })
      .catch(async (err: unknown) => {
        await page.screenshot({ path: path.join(resultsDir, 'npm-start-failed.png') });
        throw err;
      });
    // Both notices came within seconds of the workbench and the server port appearing.
    await page.waitForTimeout(8_000);
    const toasts = await page.locator('.notification-toast, .notifications-list-container .monaco-list-row').allInnerTexts();
    const shot = path.join(resultsDir, 'npm-start.png');
    await fs.mkdir(resultsDir, { recursive: true });
    await page.screenshot({ path: shot });
    console.log(`      screenshot: ${shot}`);
    console.log(`      notifications: ${JSON.stringify(toasts)}`);
    const covering = toasts.filter((t) => /git repositor|parent folder|port \d+|forwarded|is available/i.test(t));
    assert.deepEqual(covering, []);
  });
});
