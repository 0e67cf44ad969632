import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../helpers/runCli';
import { makeWorkspace } from './workspace';

describe('ota version show before the first build', () => {
  it('says the channel is not built yet and how to build it, instead of "no embedded version"; after the build it shows the version', async () => {
    const folder = makeWorkspace();
    const configFile = join(folder, '.vscode', 'ota.json');
    const config = JSON.parse(readFileSync(configFile, 'utf8')) as { channels: { version: unknown }[] };
    config.channels[0]!.version = { source: 'image' };
    writeFileSync(configFile, JSON.stringify(config));
    const before = await runCli(['version', 'show', '--channel', 'main'], { cwd: folder });
    assert.equal(before.code, 0, before.stderr);
    assert.match(before.stdout, /not built yet: run `ota build --channel main`/);
    assert.doesNotMatch(before.stdout, /no embedded version/);
    assert.match(before.stdout, /\(not built\)/);
    const built = await runCli(['build', '--channel', 'main'], { cwd: folder });
    assert.equal(built.code, 0, built.stderr);
    const after = JSON.parse((await runCli(['version', 'show', '--channel', 'main', '--json'], { cwd: folder })).stdout) as { channels: { label: string; embeddedVersion: string }[] };
    assert.equal(after.channels[0]!.label, after.channels[0]!.embeddedVersion);
  });
});
