import * as assert from 'node:assert/strict';
import { explainBuildFailure } from '../../../src/core/build/buildFailure';

describe('explainBuildFailure', () => {
  it('quotes the shell when the build tool is not installed (exit 127)', () => {
    const failure = explainBuildFailure('sh: 1: idf.py: not found\n', 127);
    assert.deepEqual(failure, { cause: 'sh: 1: idf.py: not found', toolMissing: true, compilerErrors: 0 });
  });

  it('recognises bash and a tool missing inside a script that exits 1', () => {
    assert.equal(explainBuildFailure('Setting up\n./build.sh: line 4: west: command not found\n', 1).toolMissing, true);
    assert.equal(explainBuildFailure('Setting up\n./build.sh: line 4: west: command not found\n', 1).cause, './build.sh: line 4: west: command not found');
  });

  it('counts compiler errors and quotes the first, colours stripped', () => {
    const output = ['[1/3] cc main.c', '\u001b[1mmain/main.c:12:5: \u001b[31merror: \u001b[0mexpected \';\'', 'main/led.c:3:1: error: unknown type name \'led_t\'', 'ninja: build stopped: subcommand failed.'].join('\n');
    const failure = explainBuildFailure(output, 1);
    assert.equal(failure.compilerErrors, 2);
    assert.equal(failure.toolMissing, false);
    assert.equal(failure.cause, "main/main.c:12:5: error: expected ';'");
  });

  it('falls back to the last line that mentions an error, then to the last line', () => {
    assert.equal(explainBuildFailure('step 1\nError: flash size too small\nbye\n', 2).cause, 'Error: flash size too small');
    assert.equal(explainBuildFailure('step 1\nstep 2\n', 2).cause, 'step 2');
    assert.deepEqual(explainBuildFailure('', 2), { toolMissing: false, compilerErrors: 0 });
  });
});
