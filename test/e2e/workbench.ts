import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { launchChromium } from '../host/browser';
import { extensionHostDeprecations } from '../host/deprecations';
import { ensureCodeServer, repoRoot, startCodeServer, type CodeServer, type StartOptions } from '../host/codeServer';

export const resultsDir = path.join(repoRoot, 'test-results');

/** A code-server workbench with our extension loaded from source, open in headless Chromium. */
export class Workbench {
  private constructor(
    readonly server: CodeServer,
    readonly browser: Browser,
    readonly page: Page,
  ) {}

  /**
   * With `installed`, the extension comes from those .vsix files installed into the profile (what
   * users get); otherwise it is loaded from this repository's sources (extensionDevelopmentPath).
   */
  static async open(workspaceTemplate: string | undefined, installed?: string[]): Promise<Workbench> {
    return Workbench.start({ ...(workspaceTemplate ? { workspaceTemplate } : {}), ...(installed ? { installExtensions: installed } : {}) }, installed !== undefined);
  }

  /** A multi-root workspace: this `.code-workspace` file opened as it is (its folders are not copied). */
  static async openWorkspaceFile(file: string): Promise<Workbench> {
    return Workbench.start({ workspace: file }, false);
  }

  private static async start(options: StartOptions, installed: boolean): Promise<Workbench> {
    await ensureCodeServer();
    const server = await startCodeServer(options);
    const browser = await launchChromium().catch(async (err: unknown) => {
      await server.stop();
      throw err;
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // The workbench's load event took 38 s on this 2-core machine at load average 28: not a hang.
    await page.goto(server.url(installed ? {} : { extensionDevelopmentPath: repoRoot }), { timeout: 90_000 });
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    return new Workbench(server, browser, page);
  }

  /** Clicks the OTA icon in the activity bar and waits for the view to show. */
  async openOtaView(): Promise<void> {
    await this.page.locator('.activitybar a.action-label[aria-label^="OTA"]').click({ timeout: 30_000 });
    // With one view in the container VS Code hides the pane header; the sidebar title names the view.
    await this.page.locator('.part.sidebar .composite.title', { hasText: /OTA/i }).waitFor({ timeout: 30_000 });
  }

  /**
   * Runs a command through the command palette, as a person would. The palette lists the commands
   * known when it opened: right after start-up an installed extension's may not be there yet, so,
   * like a person, close it and look again.
   */
  async runCommand(title: string): Promise<void> {
    await this.findCommand(title);
    await this.page.keyboard.press('Enter');
  }

  /**
   * Waits until the command palette lists a command, then closes it. Commands whose `when` clause
   * reads a context key the extension sets show that the key is set.
   */
  async waitForCommand(title: string): Promise<void> {
    await this.findCommand(title);
    await this.page.keyboard.press('Escape');
  }

  /**
   * Opens the palette on `title` until it lists the command (see runCommand), leaving it open.
   * F1 is pressed again when the palette does not open: a key pressed while a webview has focus
   * travels to the workbench by message and can be lost (seen in full CI runs).
   */
  async findCommand(title: string): Promise<void> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      await this.page.keyboard.press('F1');
      const input = this.page.locator('.quick-input-widget input');
      const opened = await input.waitFor({ timeout: 5_000 }).then(() => true, () => false);
      const found =
        opened &&
        (await input.fill(`>${title}`, { timeout: 5_000 }).then(() => true, () => false)) &&
        (await this.page
          .locator('.quick-input-list .monaco-list-row', { hasText: title })
          .first()
          .waitFor({ timeout: 10_000 })
          .then(() => true, () => false));
      if (found) break;
      if (Date.now() > deadline) {
        console.log(`      screenshot: ${await this.screenshot(`palette-without-${title.replace(/\W+/g, '-')}`)}`);
        throw new Error(`the command palette never listed "${title}"`);
      }
      const open = await input.isVisible();
      console.log(`      the palette ${!opened ? 'did not open' : open ? `did not list "${title}"` : 'closed again'}; trying again`);
      // Escape only into an open palette: a palette closes when a webview takes the focus as it
      // loads, and an Escape on a walkthrough page then goes back to the start page.
      if (open) await this.page.keyboard.press('Escape');
    }
  }

  /** Chooses the item of the quick pick a command opened, as a person would: typing filters, Enter takes the first. */
  async pick(label: string): Promise<void> {
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().waitFor({ timeout: 30_000 });
    await this.page.locator('.quick-input-widget input').fill(label);
    // Enter only once the filter has put the row under the cursor, in a quick pick still open.
    await this.page.locator('.quick-input-list .monaco-list-row.focused', { hasText: label }).first().waitFor({ timeout: 10_000 });
    await this.page.keyboard.press('Enter');
  }

  /**
   * Waits for a notification toast. When none comes, the error says what the window showed
   * instead (every toast, an open quick pick) and where its screenshot is.
   */
  async waitForToast(text: string | RegExp, timeoutMs = 60_000): Promise<void> {
    const shown = await this.page
      .locator('.notification-toast', { hasText: text })
      .first()
      .waitFor({ timeout: timeoutMs })
      .then(() => true, () => false);
    if (shown) return;
    const toasts = await this.page.locator('.notification-toast').allInnerTexts();
    const quickPick = await this.page.locator('.quick-input-widget').filter({ visible: true }).allInnerTexts();
    const shot = await this.screenshot('toast-missing');
    throw new Error(`no notification ${String(text)} within ${timeoutMs / 1000} s; toasts: ${JSON.stringify(toasts)}; open quick pick: ${JSON.stringify(quickPick)}; screenshot: ${shot}`);
  }

  /** The live view's document: VS Code nests each webview's page in an inner iframe. */
  liveView(): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  }

  async screenshot(name: string): Promise<string> {
    await fs.mkdir(resultsDir, { recursive: true });
    const file = path.join(resultsDir, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Closes the browser and the server; fails when the extension host printed a deprecation warning. */
  async close(): Promise<void> {
    await this.browser.close().catch(() => undefined);
    const deprecations = await extensionHostDeprecations(this.server);
    await this.server.stop();
    if (deprecations.length) throw new Error(`the extension host printed deprecation warnings:\n  ${deprecations.join('\n  ')}`);
  }
}
