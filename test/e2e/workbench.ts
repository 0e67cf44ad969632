import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../host/browser';
import { ensureCodeServer, repoRoot, startCodeServer, type CodeServer } from '../host/codeServer';

export const resultsDir = path.join(repoRoot, 'test-results');

/** A code-server workbench with our extension loaded from source, open in headless Chromium. */
export class Workbench {
  private constructor(
    readonly server: CodeServer,
    readonly browser: Browser,
    readonly page: Page,
  ) {}

  static async open(workspaceTemplate: string | undefined): Promise<Workbench> {
    await ensureCodeServer();
    const server = await startCodeServer(workspaceTemplate ? { workspaceTemplate } : {});
    const browser = await launchChromium().catch(async (err: unknown) => {
      await server.stop();
      throw err;
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(server.url({ extensionDevelopmentPath: repoRoot }));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    return new Workbench(server, browser, page);
  }

  /** Clicks the OTA icon in the activity bar and waits for the view to show. */
  async openOtaView(): Promise<void> {
    await this.page.locator('.activitybar a.action-label[aria-label^="OTA"]').click({ timeout: 30_000 });
    // With one view in the container VS Code hides the pane header; the sidebar title names the view.
    await this.page.locator('.part.sidebar .composite.title', { hasText: /OTA/i }).waitFor({ timeout: 30_000 });
  }

  /** Runs a command through the command palette, as a person would. */
  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 15_000 });
    await input.fill(`>${title}`);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 15_000 });
    await this.page.keyboard.press('Enter');
  }

  async screenshot(name: string): Promise<string> {
    await fs.mkdir(resultsDir, { recursive: true });
    const file = path.join(resultsDir, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  async close(): Promise<void> {
    await this.browser.close().catch(() => undefined);
    await this.server.stop();
  }
}
