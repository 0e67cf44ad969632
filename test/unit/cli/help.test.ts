import * as assert from 'node:assert/strict';
import { runCli } from '../../helpers/runCli';

describe('ota help for a command group (child process)', () => {
  it('ota image --help lists the image commands and exits 0; a bare `ota image` shows them on stderr and exits 2', async () => {
    const help = await runCli(['image', '--help']);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^Usage: ota image \[options\] \[command\]/);
    assert.match(help.stdout, /^ {2}info \[options\] <FILE> /m);
    assert.match(help.stdout, /^ {2}restamp \[options\] <FILE> /m);
    assert.doesNotMatch(help.stdout + help.stderr, /unknown command/);

    const bare = await runCli(['image']);
    assert.equal(bare.code, 2);
    assert.match(bare.stderr, /^Usage: ota image \[options\] \[command\]/);
    assert.match(bare.stderr, /restamp \[options\] <FILE>/);

    const one = await runCli(['image', 'restamp', '-h']);
    assert.equal(one.code, 0);
    assert.match(one.stdout, /^Usage: ota image restamp \[options\] <FILE>/);
    const unknown = await runCli(['imagery']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command 'imagery'/);
  });
});
