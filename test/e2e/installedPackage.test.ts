import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { waitFor } from '../host/processes';
import { platformPackage } from '../host/platformPackage';
import { Workbench } from './workbench';

/**
 * Lines of the extension host's logs that a user of the installed extension should never see:
 * our own log's warnings and errors, and any deprecation warning or failure naming our extension.
 */
async function extensionHostProblems(userDataDir: string): Promise<{ problems: string[]; ourLog: string }> {
  const logs = path.join(userDataDir, 'logs');
  const entries = await fs.readdir(logs, { recursive: true, withFileTypes: true });
  const problems: string[] = [];
  let ourLog = '';
  for (const e of entries.filter((e) => e.isFile() && e.name.endsWith('.log'))) {
    const file = path.join(e.parentPath, e.name);
    const ours = file.includes('ota-workbench');
    if (!ours && !/exthost/i.test(file)) continue;
    const text = await fs.readFile(file, 'utf8');
    if (ours) ourLog += text;
    for (const line of text.split('\n')) {
      const flagged = ours ? /\[(warning|error)\]/.test(line) : /DeprecationWarning|\[DEP\d{4}\]/.test(line) || (/\[(warning|error)\]/.test(line) && /ota-workbench/i.test(line));
      if (flagged) problems.push(`${path.relative(logs, file)}: ${line}`);
    }
  }
  return { problems, ourLog };
}

describe('the installed .vsix, first run in an empty folder (e2e)', function () {
  this.timeout(300_000);
  let bench: Workbench;
  let scratch: string;

  before(async () => {
    scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'ota-installed-'));
    // Packaged as `npm run package` does for this platform, installed with code-server's --install-extension.
    bench = await Workbench.open(undefined, [await platformPackage()]);
  });

  after(async () => {
    await bench?.close();
    await fs.rm(scratch, { recursive: true, force: true });
  });

  it('runs the demo with only what the package brings, writing nothing into the folder and logging no warning', async () => {
    await bench.runCommand('OTA: Run Demo');
    // The demo's scenarios: Update is the live one.
    await bench.pick('Update');
    const view = bench.liveView();
    await view.locator('.session[data-state="succeeded"]').nth(3).waitFor({ timeout: 150_000 });
    const whyNot = view.locator('.whynot[data-device="demo-wrongkey-1"] .reason');
    await whyNot.waitFor({ timeout: 30_000 });
    assert.match(await whyNot.innerText(), /fw_key plug-key-2024-wrong/);
    console.log(`      screenshot: ${await bench.screenshot('installed-demo-empty-folder')}`);
    assert.deepEqual(await fs.readdir(bench.server.workspace), [], 'the demo wrote into the user\'s folder');
    const { problems, ourLog } = await extensionHostProblems(bench.server.userDataDir);
    // The scan must have found the extension's own log, or "no problem" would prove nothing.
    assert.match(ourLog, /activated in .* ms/);
    assert.match(ourLog, /demo: running on its own setup/);
    assert.deepEqual(problems, []);
  });

  it("puts the bundled ota CLI on the integrated terminal's PATH", async () => {
    const out = path.join(scratch, 'ota-version.txt');
    await bench.runCommand('Terminal: Create New Terminal');
    const input = bench.page.locator('.terminal-wrapper.active .xterm-helper-textarea, .xterm-helper-textarea').first();
    await input.waitFor({ timeout: 30_000 });
    // The shell prompt may take a moment; typed keys wait in the pty until then.
    await input.focus();
    await bench.page.keyboard.type(`command -v ota > '${out}.where'; ota version > '${out}.tmp' 2>&1; mv '${out}.tmp' '${out}'\n`);
    await waitFor('ota version in the terminal', 60_000, () => fs.stat(out).then(() => true));
    const printed = await fs.readFile(out, 'utf8');
    assert.match(printed, /\b\d+\.\d+\.\d+\b/);
    const where = await fs.readFile(`${out}.where`, 'utf8');
    assert.match(where, /bin[/\\]ota\s*$/, `ota resolved to ${where}`);
    console.log(`      ota version → ${printed.trim()} (${where.trim()})`);
  });
});
