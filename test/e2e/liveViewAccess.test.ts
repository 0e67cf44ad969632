import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CDPSession, Frame } from 'playwright-core';
import { prepareDemoWorkspace } from '../host/demoWorkspace';
import { freePort } from '../host/processes';
import { auditPage, focusedControl, type PageAudit } from './pageAudit';
import { setColorTheme, themes, webviewFrame as liveFrame } from './colorThemes';
import { resultsDir, Workbench } from './workbench';

/**
 * Widths of the view in CSS px and the browser zoom they are seen at. Zoom is emulated as Chrome
 * zooms: the same window, fewer CSS px across, more device pixels per CSS px (a 1,600 px panel at
 * 200 % lays out in 800 CSS px).
 */
const layouts = [
  { name: '1600px', width: 1600, zoom: 1, screenshot: true },
  { name: '500px', width: 500, zoom: 1, screenshot: true },
  { name: '1600px-zoom200', width: 800, zoom: 2, screenshot: true },
  { name: '640px-zoom200', width: 320, zoom: 2, screenshot: false },
] as const;

/** Sizes the window so the view's panel is `width` CSS px wide at `zoom` (an emulated browser zoom). */
async function setLayout(bench: Workbench, cdp: CDPSession, width: number, zoom: number): Promise<void> {
  const height = Math.round(1000 / zoom);
  const panelWidth = async () => (await bench.page.locator('iframe.webview.ready').boundingBox())?.width ?? 0;
  const apply = (windowWidth: number) => cdp.send('Emulation.setDeviceMetricsOverride', { width: windowWidth, height, deviceScaleFactor: zoom, mobile: false });
  // The workbench around the panel (activity bar, borders) is measured, not assumed; it lays out
  // after the resize in a frame of its own, so the panel's width is read once it has settled.
  const settledWidth = async () => {
    let last = -1;
    for (let same = 0; same < 3; ) {
      await bench.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      const now = await panelWidth();
      same = now === last ? same + 1 : 0;
      last = now;
    }
    return last;
  };
  let windowWidth = width + 60;
  for (let attempt = 0; attempt < 6; attempt++) {
    await apply(windowWidth);
    await bench.page.waitForFunction((w) => window.innerWidth === w, windowWidth, { timeout: 5_000 });
    const measured = await settledWidth();
    if (Math.abs(measured - width) <= 2) return;
    windowWidth += Math.round(width - measured);
  }
  assert.fail(`could not size the live view to ${width} CSS px (it is ${await panelWidth()} px; see ${await screenshot(cdp, 'live-view-sizing-failed')})`);
}

/** A PNG of the window at its device pixels (a 200 % zoom gives a sharp, twice-as-dense image). */
async function screenshot(cdp: CDPSession, name: string): Promise<string> {
  await fs.mkdir(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${name}.png`);
  const { data } = (await cdp.send('Page.captureScreenshot', { format: 'png' })) as { data: string };
  await fs.writeFile(file, Buffer.from(data, 'base64'));
  return file;
}

/** axe-core's serious and critical findings in the view's page (axe is injected by this test only). */
async function axeFindings(frame: Frame, axeSource: string): Promise<string[]> {
  await frame.evaluate(axeSource);
  // The view redraws as devices poll; a run that met a node being replaced is run again.
  for (let attempt = 1; ; attempt++) {
    try {
      return await frame.evaluate(async () => {
        const axe = (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
        const result = await axe.run(document, { resultTypes: ['violations'] });
        return result.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => JSON.stringify(n.target)).slice(0, 3).join(', ')})`);
      });
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
}

/**
 * The audit can fail: an element in an icon colour used as text (the old live view's green, 2:1 on
 * white) and one wider than the page are added, found, and removed again.
 */
async function auditCatchesBadPage(frame: Frame): Promise<void> {
  await frame.evaluate(() => {
    const bad = document.createElement('p');
    bad.id = 'audit-control';
    bad.textContent = 'audit control: icon green as text';
    // Through the CSSOM: the page's CSP forbids style attributes, not script-set styles.
    bad.style.color = '#73c991';
    bad.style.background = '#ffffff';
    const wide = document.createElement('div');
    wide.id = 'audit-control-wide';
    wide.style.width = '4000px';
    wide.textContent = 'audit control: wider than the page';
    document.body.append(bad, wide);
  });
  const audit = await frame.evaluate(auditPage);
  await frame.evaluate(() => ['audit-control', 'audit-control-wide'].forEach((id) => document.getElementById(id)?.remove()));
  const found = audit.contrast.find((c) => c.text === 'audit control: icon green as text');
  assert.ok(found && found.ratio > 1.9 && found.ratio < 2.2, `the contrast check missed #73c991 on white: ${JSON.stringify(audit.contrast)}`);
  assert.ok(audit.sideways && audit.sideways.scrollWidth >= 4000, 'the sideways-scroll check missed a 4000 px element');
}

/** What an audit found that the view promises never to show, one line each. */
function problems(audit: PageAudit): string[] {
  return [
    ...audit.contrast.map((c) => `contrast ${c.ratio}:1 < ${c.needed}:1 for "${c.text}" (${c.color} on ${c.background}) at ${c.where}`),
    ...(audit.sideways ? [`the page scrolls sideways: ${audit.sideways.scrollWidth} > ${audit.sideways.clientWidth} px (${audit.sideways.widest.join('; ')})`] : []),
    ...audit.updateHidden.map((d) => `the Update state of ${d} is not on screen`),
    ...audit.innerSideways.map((w) => `${w} scrolls sideways`),
    ...audit.splitLabels.map((l) => `console label "${l}" is split across lines`),
    ...(audit.crampedLog ? [`${audit.crampedLog} event-log lines are squeezed into a narrow column`] : []),
  ];
}

describe('The live view in every theme, at every width, by keyboard and screen reader (e2e)', function () {
  this.timeout(600_000);
  let bench: Workbench;
  let cdp: CDPSession;
  let template: string;
  let axeSource: string;

  before(async () => {
    axeSource = await fs.readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
    template = await fs.mkdtemp(path.join(os.tmpdir(), 'ota-access-e2e-'));
    const workspace = path.join(template, 'workspace');
    await prepareDemoWorkspace(workspace, { autoStart: false, port: await freePort() });
    // Slow downloads (about 90 s per device): the first pass sees the demo mid-update.
    const settingsFile = path.join(workspace, '.vscode', 'settings.json');
    const settings = JSON.parse(await fs.readFile(settingsFile, 'utf8')) as Record<string, unknown>;
    await fs.writeFile(settingsFile, JSON.stringify({ ...settings, 'otaWorkbench.demo.bytesPerSecond': 2048 }, null, 2) + '\n');
    bench = await Workbench.open(workspace);
    cdp = await bench.page.context().newCDPSession(bench.page);
    await bench.page.setViewportSize({ width: 1700, height: 1000 });
    await bench.openOtaView();
    await bench.runCommand('OTA: Run Demo');
    // The demo's scenarios: Update is the live one.
    await bench.pick('Update');
    // The demo opens the view once its server is up: slow on a loaded machine.
    await bench.page.locator('iframe.webview.ready').waitFor({ timeout: 120_000 });
    const view = await liveFrame(bench);
    await view.locator('.session[data-state="downloading"]').first().waitFor({ timeout: 90_000 });
    await view.locator('.whynot[data-device="demo-wrongkey-1"]').waitFor({ timeout: 60_000 });
    // The panel gets the window's width: no side bar beside it.
    await bench.runCommand('View: Close Primary Side Bar');
    await bench.page.locator('.part.sidebar').waitFor({ state: 'hidden', timeout: 15_000 });
  });

  after(async () => {
    await cdp?.detach().catch(() => undefined);
    await bench?.close();
    if (template) await fs.rm(template, { recursive: true, force: true });
  });

  it('mid-update: contrast of every text ≥ 4.5:1 (3:1 large), no sideways scroll, Update always on screen, no serious axe finding, in four themes at four widths', async () => {
    await auditCatchesBadPage(await liveFrame(bench));
    const found: string[] = [];
    for (const theme of themes) {
      await setLayout(bench, cdp, 1600, 1);
      await setColorTheme(bench, theme);
      for (const layout of layouts) {
        await setLayout(bench, cdp, layout.width, layout.zoom);
        const frame = await liveFrame(bench);
        // Laid out for the new width (the cards' media query has applied) before measuring.
        await frame.waitForFunction((w) => Math.abs(document.documentElement.clientWidth - w) <= 2, layout.width, { timeout: 10_000 });
        if (layout.screenshot) console.log(`      screenshot: ${await screenshot(cdp, `live-view-${theme.slug}-${layout.name}`)}`);
        const audit = await frame.evaluate(auditPage);
        assert.ok(audit.measured > 40, `only ${audit.measured} text elements measured in ${theme.name} at ${layout.name}`);
        const axe = await axeFindings(frame, axeSource);
        console.log(`      ${theme.name} at ${layout.name}: ${audit.measured} text elements, ${audit.contrast.length} below contrast, ${axe.length} serious axe findings`);
        found.push(...[...problems(audit), ...axe].map((p) => `${theme.name} at ${layout.name}: ${p}`));
      }
    }
    assert.deepEqual(found, []);
  });

  it('finished: the succeeded states read in every theme too', async () => {
    const view = await liveFrame(bench);
    await view.locator('.session[data-state="succeeded"]').nth(3).waitFor({ timeout: 300_000 });
    const found: string[] = [];
    for (const theme of themes) {
      await setLayout(bench, cdp, 1600, 1);
      await setColorTheme(bench, theme);
      for (const layout of [layouts[0], layouts[1]]) {
        await setLayout(bench, cdp, layout.width, layout.zoom);
        const frame = await liveFrame(bench);
        await frame.waitForFunction((w) => Math.abs(document.documentElement.clientWidth - w) <= 2, layout.width, { timeout: 10_000 });
        console.log(`      screenshot: ${await screenshot(cdp, `live-view-${theme.slug}-${layout.name}-finished`)}`);
        found.push(...problems(await frame.evaluate(auditPage)).map((p) => `${theme.name} at ${layout.name}: ${p}`));
      }
    }
    assert.deepEqual(found, []);
  });

  it('every control is reached with Tab and shows its focus; section headers open and close with Enter and Space', async () => {
    await setLayout(bench, cdp, 1600, 1);
    const frame = await liveFrame(bench);
    // The page's margin: nothing there is redrawn or reacts to a click; Tab starts from the top.
    await frame.locator('body').click({ position: { x: 4, y: 4 } });
    const reached: string[] = [];
    const unringed: string[] = [];
    for (let i = 0; i < 40; i++) {
      await bench.page.keyboard.press('Tab');
      const { control, ringed } = await frame.evaluate(focusedControl);
      if (!control || reached.includes(control)) {
        const where = await frame.evaluate(() => `hasFocus=${document.hasFocus()}`);
        const outside = await bench.page.evaluate(() => `${document.activeElement?.tagName}.${document.activeElement?.className}`);
        console.log(`      Tab ${i + 1}: ${control ?? 'focus left the view'} (${where}; workbench focus on ${outside})`);
        break;
      }
      reached.push(control);
      if (!ringed) unringed.push(control);
    }
    console.log(`      Tab order: ${reached.join(' → ')}`);
    for (const expected of [/vscode-button.* "Stop Demo"/, /vscode-button.* "Reconnect"/, /vscode-button.* "Open Config"/, /\[devices\]/, /\[sessions\]/, /\[whynot\]/, /vscode-button.* "Keys bound to/, /\[log\]/, /ol\.log/, /\[console\]/, /select\.console-device/, /pre\.console-lines/]) {
      assert.ok(reached.some((c) => expected.test(c)), `${expected} is not reached with Tab`);
    }
    assert.deepEqual(unringed, [], 'focused without a visible ring');

    // The Devices header: Enter closes it (the element's own key), Space opens it again (ours).
    const devices = frame.locator('vscode-collapsible[data-section="devices"]');
    await devices.locator('.collapsible-header').focus();
    await bench.page.keyboard.press('Enter');
    await frame.waitForFunction(() => !document.querySelector('vscode-collapsible[data-section="devices"]')?.hasAttribute('open'));
    await bench.page.keyboard.press('Space');
    await frame.waitForFunction(() => document.querySelector('vscode-collapsible[data-section="devices"]')?.hasAttribute('open'));
    await frame.locator('tr[data-device="demo-plug-1"]').waitFor();
  });

  it('announces device and session changes in a polite live region, a few at a time; the progress bars say what they show', async () => {
    const frame = await liveFrame(bench);
    const region = frame.locator('[data-live-region]');
    assert.equal(await region.getAttribute('role'), 'status');
    assert.equal(await region.getAttribute('aria-live'), 'polite');
    // The demo's changes have been spoken: device states in words, never more than four named at once.
    await frame.waitForFunction(() => /demo-\S+: update \w+/.test(document.querySelector('[data-live-region]')?.textContent ?? ''), undefined, { timeout: 30_000 });
    const text = await region.innerText();
    assert.ok(text.split('. ').length <= 4, text);
    for (const bar of await frame.locator('vscode-progress-bar').all()) assert.match((await bar.getAttribute('aria-label')) ?? '', /^demo-\S+: \w+, \d+%$/);
  });

  it('respects reduced motion: the progress bars and everything else stop animating', async () => {
    const frame = await liveFrame(bench);
    const motion = () =>
      frame.evaluate(() => {
        const indicator = document.querySelector('vscode-progress-bar')?.shadowRoot?.querySelector('.indicator');
        const durations = [...document.querySelectorAll('*')].map((e) => getComputedStyle(e).transitionDuration).filter((d) => d !== '0s');
        return { indicator: indicator ? getComputedStyle(indicator).transitionDuration : undefined, animated: durations.length };
      });
    assert.equal((await motion()).indicator, '0.1s', 'the bar animates when motion is welcome');
    await bench.page.emulateMedia({ reducedMotion: 'reduce' });
    try {
      await frame.waitForFunction(() => matchMedia('(prefers-reduced-motion: reduce)').matches, undefined, { timeout: 10_000 });
      assert.deepEqual(await motion(), { indicator: '0s', animated: 0 });
    } finally {
      await bench.page.emulateMedia({ reducedMotion: 'no-preference' });
    }
  });
});
