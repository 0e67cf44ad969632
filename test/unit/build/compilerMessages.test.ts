import * as assert from 'node:assert/strict';
import { compilerMessages } from '../../../src/core/build/compilerMessages';

describe('compiler messages in build output', () => {
  it('reads gcc errors and warnings with and without a column, through colour codes, and nothing else', () => {
    const output = [
      '[1/3] Building C object esp-idf/main/CMakeFiles/__idf_main.dir/main.c.obj',
      "main/main.c:5:3: error: 'gpio_num' undeclared (first use in this function)",
      '\u001b[01m\u001b[Kmain/led.c:12:1:\u001b[m\u001b[K \u001b[01;35m\u001b[Kwarning: \u001b[m\u001b[Kunused variable',
      'zephyr/dts.overlay:7: fatal error: no such node',
      'C:\\fw\\app.c:9:2: error: expected ;',
      'ninja: build stopped: subcommand failed.',
      'error: something without a place',
    ].join('\r\n');
    assert.deepEqual(compilerMessages(output), [
      { file: 'main/main.c', line: 5, column: 3, severity: 'error', message: "'gpio_num' undeclared (first use in this function)" },
      { file: 'main/led.c', line: 12, column: 1, severity: 'warning', message: 'unused variable' },
      { file: 'zephyr/dts.overlay', line: 7, severity: 'error', message: 'no such node' },
      { file: 'C:\\fw\\app.c', line: 9, column: 2, severity: 'error', message: 'expected ;' },
    ]);
  });
});
