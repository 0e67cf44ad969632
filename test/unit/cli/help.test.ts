import * as assert from 'node:assert/strict';
import { runCli } from '../image/runCli';

describe('ota help for a command group (child process)', () => {
  it('ota image --help lists the image commands and exits 0; a bare `ota image` says to pick one and exits 2', async () => {
    const help = await runCli(['image', '--help']);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^usage: ota image <command> \[options\]/);
    assert.match(help.stdout, /ota image info FILE/);
    assert.match(help.stdout, /ota image restamp FILE/);
    assert.doesNotMatch(help.stdout + help.stderr, /unknown command/);

    const bare = await runCli(['image']);
    assert.equal(bare.code, 2);
    assert.match(bare.stderr, /^ota image: say which command/);

    const one = await runCli(['image', 'restamp', '-h']);
    assert.equal(one.code, 0);
    assert.match(one.stdout, /^usage: ota image restamp FILE/);
    const unknown = await runCli(['imagery']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command 'imagery'/);
  });
});
