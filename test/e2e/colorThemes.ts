import * as assert from 'node:assert/strict';
import type { Frame } from 'playwright-core';
import type { Workbench } from './workbench';

/** VS Code's four built-in theme families: the name in the theme picker and the workbench's class for it. */
export const themes = [
  { name: 'Light Modern', slug: 'light', workbenchClass: 'vs' },
  { name: 'Dark Modern', slug: 'dark', workbenchClass: 'vs-dark' },
  { name: 'Dark High Contrast', slug: 'hc-dark', workbenchClass: 'hc-black' },
  { name: 'Light High Contrast', slug: 'hc-light', workbenchClass: 'hc-light' },
] as const;

export type Theme = (typeof themes)[number];

/** The document of the (only) webview on screen: VS Code nests it in an inner iframe. */
export async function webviewFrame(bench: Workbench): Promise<Frame> {
  const outer = await (await bench.page.locator('iframe.webview.ready').elementHandle({ timeout: 30_000 }))!.contentFrame();
  const inner = await (await outer!.locator('#active-frame').elementHandle({ timeout: 30_000 }))!.contentFrame();
  assert.ok(inner, 'the webview has no document');
  return inner;
}

/** Picks a colour theme in the palette, then waits until the webview on screen carries its colours. */
export async function setColorTheme(bench: Workbench, theme: Theme): Promise<void> {
  const page = bench.page;
  await bench.findCommand('Preferences: Color Theme');
  // Clicked rather than Enter: the palette ranks "Browse Color Themes in Marketplace" first.
  await page.locator('.quick-input-list .monaco-list-row', { hasText: /^Preferences: Color Theme/ }).first().click({ timeout: 15_000 });
  const input = page.locator('.quick-input-widget input[placeholder*="Color Theme"]');
  await input.waitFor({ timeout: 15_000 });
  await input.fill(theme.name);
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: theme.name }).first().waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
  await page.locator(`.monaco-workbench.${theme.workbenchClass}`).waitFor({ timeout: 15_000 });
  // The webview gets the theme's variables in a message of its own, a moment later.
  const editorBackground = await page.locator('.monaco-workbench').evaluate((e) => getComputedStyle(e).getPropertyValue('--vscode-editor-background').trim().toLowerCase());
  const frame = await webviewFrame(bench);
  await frame.waitForFunction((bg) => getComputedStyle(document.documentElement).getPropertyValue('--vscode-editor-background').trim().toLowerCase() === bg, editorBackground, { timeout: 15_000 });
}
