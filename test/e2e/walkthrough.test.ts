import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../host/codeServer';
import { setColorTheme, themes, webviewFrame } from './colorThemes';
import { Workbench } from './workbench';

const fixtureWorkspace = process.env.OTA_TEST_WORKSPACE ?? path.join(repoRoot, 'test', 'fixtures', 'workspace');
const steps = ['Describe your product', 'Build the firmware', 'Make a release', 'Start the local OTA server', 'Simulate or connect a device', 'Push and deploy', 'Watch the update live'];
/** The steps whose media is an SVG diagram (package.json), by title, with a label only their diagram has. */
const svgSteps = [
  { title: 'Build the firmware', label: 'sources' },
  { title: 'Start the local OTA server', label: 'OTA server' },
  { title: 'Push and deploy', label: 'release' },
];
/** Listed in the palette only while `ota.hasConfig` is set (package.json menus.commandPalette). */
const needsConfig = 'OTA: Check Sources';

async function openWalkthrough(bench: Workbench): Promise<void> {
  await bench.runCommand('Welcome: Open Walkthrough...');
  await bench.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Ship firmware over the air' }).click({ timeout: 30_000 });
  await walkthrough(bench).locator('.getting-started-category .category-title, h2', { hasText: 'Ship firmware over the air' }).first().waitFor({ timeout: 30_000 });
}

function walkthrough(bench: Workbench) {
  return bench.page.locator('.gettingStartedContainer');
}

/** Waits until the step's checkbox is ticked (VS Code sets aria-checked and `.complete` on it). */
async function expectTicked(bench: Workbench, stepId: string): Promise<void> {
  const step = walkthrough(bench).locator(`.getting-started-step[data-step-id$="#${stepId}"]`);
  const ticked = await step
    .locator('.codicon.complete[aria-checked="true"]')
    .waitFor({ timeout: 20_000 })
    .then(() => true, () => false);
  if (!ticked) {
    console.log(`      screenshot: ${await bench.screenshot(`walkthrough-${stepId}-unticked`)}`);
    assert.fail(`the walkthrough step ${stepId} is not ticked (aria-checked=${await step.getAttribute('aria-checked')})`);
  }
}

interface DrawnSvg {
  width: number;
  height: number;
  labels: string[];
  /** Labels that stick out of the drawing, where the page cuts them off. */
  clipped: string[];
}

/**
 * Selects a step and measures its diagram once the webview shows it. Selecting a step replaces the
 * webview's document, so a frame found a moment earlier may be gone: look again until it is there.
 */
async function showSvgStep(bench: Workbench, step: (typeof svgSteps)[number]): Promise<DrawnSvg> {
  await walkthrough(bench).locator('.getting-started-step', { hasText: step.title }).first().click();
  const deadline = Date.now() + 20_000;
  for (;;) {
    const drawn = await webviewFrame(bench)
      .then((frame) =>
        frame.locator('svg').evaluate((svg: SVGSVGElement) => {
          const box = svg.getBoundingClientRect();
          const view = svg.viewBox.baseVal;
          const texts = [...svg.querySelectorAll('text')];
          const clipped = texts.filter((text) => {
            const b = text.getBBox();
            return b.x < view.x || b.y < view.y || b.x + b.width > view.x + view.width || b.y + b.height > view.y + view.height;
          });
          const label = (text: SVGTextElement) => text.textContent ?? '';
          return { width: box.width, height: box.height, labels: texts.map(label), clipped: clipped.map(label) };
        }, undefined, { timeout: 2_000 }),
      )
      .catch(() => undefined);
    if (drawn?.labels.includes(step.label)) return drawn;
    if (Date.now() > deadline) assert.fail(`the walkthrough never showed the diagram of "${step.title}" (last seen: ${JSON.stringify(drawn)})`);
    await bench.page.waitForTimeout(250);
  }
}

/**
 * How many pixels of the step's media differ clearly from its background: the SVG is drawn into a
 * webview, so only the pixels on screen tell whether the lines and labels show in this theme.
 */
async function inkedPixels(bench: Workbench): Promise<{ inked: number; total: number }> {
  const png = await bench.page.locator('iframe.webview.ready').screenshot({ timeout: 15_000 });
  const scratch = await bench.browser.newPage();
  try {
    return await scratch.evaluate(async (base64) => {
      const image = new Image();
      image.src = `data:image/png;base64,${base64}`;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.naturalWidth;
      canvas.height = image.naturalHeight;
      const context = canvas.getContext('2d')!;
      context.drawImage(image, 0, 0);
      const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
      // The corner is the page's background: the diagram sits in the middle.
      const [r, g, b] = [data[0]!, data[1]!, data[2]!];
      let inked = 0;
      for (let i = 0; i < data.length; i += 4) if (Math.abs(data[i]! - r) + Math.abs(data[i + 1]! - g) + Math.abs(data[i + 2]! - b) > 96) inked++;
      return { inked, total: canvas.width * canvas.height };
    }, png.toString('base64'));
  } finally {
    await scratch.close();
  }
}

describe('getting-started walkthrough (e2e)', function () {
  this.timeout(300_000);

  describe('in the sample workspace, which has its config', () => {
    let bench: Workbench;
    before(async () => {
      bench = await Workbench.open(fixtureWorkspace);
      // As when a person opens an existing project: the extension has found the config (the key is
      // set) before anyone opens the walkthrough.
      await bench.waitForCommand(needsConfig);
      await openWalkthrough(bench);
      // The page lays out steps and media side by side only when wide enough: hide the side bar.
      await bench.page.keyboard.press('Control+B');
    });
    after(async () => bench?.close());

    it('opens from "Welcome: Open Walkthrough…" with its seven steps, the first ticked because the config exists', async () => {
      const page = walkthrough(bench);
      for (const title of steps) await page.locator('.getting-started-step', { hasText: title }).first().waitFor({ timeout: 10_000 });
      assert.equal(await page.locator('.getting-started-step').count(), steps.length);
      await expectTicked(bench, 'ota.initialize');
      await showSvgStep(bench, svgSteps[0]!);
      await bench.page.waitForTimeout(1000);
      console.log(`      screenshot: ${await bench.screenshot('walkthrough')}`);
    });

    it("draws every step's SVG diagram in light, dark and both high-contrast themes", async () => {
      const blank: string[] = [];
      for (const theme of themes) {
        for (const step of svgSteps) {
          const drawn = await showSvgStep(bench, step);
          assert.ok(drawn.width > 100 && drawn.height > 50, `${step.title}: the diagram is laid out at ${drawn.width}×${drawn.height} px`);
          assert.deepEqual(drawn.clipped, [], `${step.title}: labels cut off at the edge of the diagram`);
          // The first diagram is on screen when the theme changes: the theme's colours reach its webview.
          if (step === svgSteps[0]) await setColorTheme(bench, theme);
          await bench.page.waitForTimeout(500);
          const { inked, total } = await inkedPixels(bench);
          console.log(`      ${theme.name}, ${step.title}: ${inked} of ${total} px drawn`);
          // Lines and labels of these diagrams cover about 2 % of the media area; a blank one, none.
          if (inked < total * 0.01) blank.push(`${theme.name}: "${step.title}" draws ${inked} of ${total} px`);
        }
        await bench.screenshot(`walkthrough-${theme.slug}`);
      }
      assert.deepEqual(blank, []);
    });
  });

  describe('in a folder without a config', () => {
    let bench: Workbench;
    let template: string;
    before(async () => {
      template = await fs.mkdtemp(path.join(os.tmpdir(), 'ota-walkthrough-'));
      await fs.cp(fixtureWorkspace, template, { recursive: true, filter: (source) => path.basename(source) !== 'ota.json' });
      bench = await Workbench.open(template);
    });
    after(async () => {
      await bench?.close();
      await fs.rm(template, { recursive: true, force: true });
    });

    it('ticks the first step once "OTA: Initialize Workspace" has written the config', async () => {
      await bench.runCommand('OTA: Initialize Workspace');
      await bench.page.locator('.tabs-container .tab', { hasText: 'ota.json' }).waitFor({ timeout: 30_000 });
      await bench.waitForCommand(needsConfig);
      await openWalkthrough(bench);
      await expectTicked(bench, 'ota.initialize');
      assert.equal(await walkthrough(bench).locator('.getting-started-step[aria-checked="true"]').count(), 1, 'only the first step is ticked');
    });
  });
});
