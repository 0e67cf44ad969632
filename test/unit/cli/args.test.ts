import * as assert from 'node:assert/strict';
import { parseArgs, stringFlag } from '../../../src/cli/args';
import { findCommand } from '../../../src/cli/main';

describe('cli arguments', () => {
  it('reads --name value, --name=value, -k value and boolean flags', () => {
    const parsed = parseArgs(['in.bin', '--version', '1.2.3', '--align=4', '-k', 'key.pem', '--json', 'out.bin'], ['json']);
    assert.deepEqual(parsed.positionals, ['in.bin', 'out.bin']);
    assert.equal(stringFlag(parsed, 'version'), '1.2.3');
    assert.equal(stringFlag(parsed, 'align'), '4');
    assert.equal(stringFlag(parsed, 'k'), 'key.pem');
    assert.equal(parsed.flags.get('json'), true);
  });

  it('says which option is missing its value', () => {
    assert.throws(() => parseArgs(['--port']), /--port needs a value/);
    assert.throws(() => parseArgs(['--port', '--json'], ['json']), /--port needs a value/);
  });

  it('keeps everything after -- as positionals', () => {
    assert.deepEqual(parseArgs(['--', '--not-a-flag']).positionals, ['--not-a-flag']);
  });

  it('finds the command with the longest matching path', () => {
    const found = findCommand(['version', 'extra']);
    assert.equal(found?.command.path.join(' '), 'version');
    assert.deepEqual(found?.rest, ['extra']);
    assert.equal(findCommand(['no-such-command']), undefined);
  });
});
