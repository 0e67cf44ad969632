import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { repoRoot } from '../host/codeServer';
import { Workbench } from './workbench';

const fixtureWorkspace = process.env.OTA_TEST_WORKSPACE ?? path.join(repoRoot, 'test', 'fixtures', 'workspace');
const steps = ['Describe your product', 'Build the firmware', 'Make a release', 'Start the local OTA server', 'Simulate or connect a device', 'Push and deploy', 'Watch the update live'];

describe('getting-started walkthrough (e2e)', function () {
  this.timeout(180_000);
  let bench: Workbench;
  before(async () => (bench = await Workbench.open(fixtureWorkspace)));
  after(async () => bench?.close());

  it('opens from "Welcome: Open Walkthrough…" with its seven steps and their command buttons', async () => {
    await bench.runCommand('Welcome: Open Walkthrough...');
    await bench.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Ship firmware over the air' }).click({ timeout: 30_000 });
    const page = bench.page.locator('.gettingStartedContainer');
    await page.locator('.getting-started-category .category-title, h2', { hasText: 'Ship firmware over the air' }).first().waitFor({ timeout: 30_000 });
    for (const title of steps) await page.locator('.getting-started-step', { hasText: title }).first().waitFor({ timeout: 10_000 });
    // The page lays out steps and media side by side only when wide enough: hide the side bar, let it settle.
    await bench.page.keyboard.press('Control+B');
    await bench.page.waitForTimeout(1500);
    console.log(`      screenshot: ${await bench.screenshot('walkthrough')}`);
    assert.equal(await page.locator('.getting-started-step').count(), steps.length);
    // Step completion (onCommand:…, onContext:ota.hasConfig) is not asserted here: VS Code marks onContext steps
    // only when the key changes after the walkthrough registered, which races with activation (see the report).
  });
});
