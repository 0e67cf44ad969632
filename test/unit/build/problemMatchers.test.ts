import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compilerMessages } from '../../../src/core/build/compilerMessages';
import type { ProblemMatcher } from '../../../src/core/build/compilerMessages';

/** The problem matchers package.json contributes, applied as VS Code applies them, to lines real toolchains print. */
const packageJson = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8')) as { contributes: { problemMatchers: ProblemMatcher[] } };
const contributedMatchers = packageJson.contributes.problemMatchers;

function problems(output: string) {
  return compilerMessages(output, contributedMatchers);
}

describe('build problem matchers (package.json)', () => {
  it('reads gcc and clang errors and warnings, relative and absolute, as ESP-IDF and Zephyr builds print them', () => {
    const output = [
      '[5/12] Building C object esp-idf/main/CMakeFiles/__idf_main.dir/main.c.obj',
      'FAILED: esp-idf/main/CMakeFiles/__idf_main.dir/main.c.obj',
      '/home/dev/plug/main/main.c: In function \'app_main\':',
      '/home/dev/plug/main/main.c:12:5: error: implicit declaration of function \'gpio_set\' [-Wimplicit-function-declaration]',
      '   12 |     gpio_set(2, 1);',
      '      |     ^~~~~~~~',
      'main/led.c:7:13: warning: unused variable \'x\' [-Wunused-variable]',
      '../src/main.c:3:10: fatal error: zephyr/kernel.h: No such file or directory',
      '/home/dev/plug/main/main.c:4:1: note: declared here',
    ].join('\n');
    assert.deepEqual(
      problems(output).map((p) => [p.matcher, p.file, p.line, p.column, p.severity, p.message]),
      [
        ['ota-gcc', '/home/dev/plug/main/main.c', 12, 5, 'error', "implicit declaration of function 'gpio_set' [-Wimplicit-function-declaration]"],
        ['ota-gcc', 'main/led.c', 7, 13, 'warning', "unused variable 'x' [-Wunused-variable]"],
        ['ota-gcc', '../src/main.c', 3, 10, 'error', 'zephyr/kernel.h: No such file or directory'],
      ],
    );
  });

  it('reads a Windows path with its drive letter', () => {
    const [p] = problems('C:\\esp\\plug\\main\\main.c:9:2: error: expected \';\' before \'}\' token');
    assert.equal(p?.file, 'C:\\esp\\plug\\main\\main.c');
    assert.equal(p?.line, 9);
  });

  it('reads line-only errors (Kconfig in prj.conf, linker scripts) without taking a column line twice', () => {
    const found = problems(['/home/dev/app/prj.conf:3: warning: attempt to assign the value \'y\' to the undefined symbol WIFI_FOO', 'main.c:12:5: error: boom'].join('\n'));
    assert.deepEqual(
      found.map((p) => [p.matcher, p.file, p.line, p.severity]),
      [
        ['ota-gcc', 'main.c', 12, 'error'],
        ['ota-gcc-nocolumn', '/home/dev/app/prj.conf', 3, 'warning'],
      ],
    );
  });

  it('reads a CMake error with its message on the next line (idf.py and west print these)', () => {
    const found = problems(['CMake Error at CMakeLists.txt:6 (project):', '  The CMAKE_C_COMPILER:', '', '    xtensa-esp32-elf-gcc'].join('\n'));
    assert.deepEqual(found.map((p) => [p.matcher, p.file, p.line, p.severity, p.message]), [['ota-cmake', 'CMakeLists.txt', 6, 'error', 'The CMAKE_C_COMPILER:']]);
  });

  it('reads a Zephyr devicetree error with line and column', () => {
    const found = problems("devicetree error: /home/dev/app/boards/plug.overlay:14 (column 2): parse error: expected ';' or ','");
    assert.deepEqual(found.map((p) => [p.matcher, p.file, p.line, p.column, p.severity]), [['ota-devicetree', '/home/dev/app/boards/plug.overlay', 14, 2, 'error']]);
  });

  it('leaves ordinary build chatter alone', () => {
    const chatter = ['-- Found Python3: /usr/bin/python3 (found version "3.11.2")', 'Project build complete. To flash, run:', ' idf.py flash', 'ninja: build stopped: subcommand failed.', 'In file included from main.c:3:', 'sh: 1: idf.py: not found'];
    assert.deepEqual(problems(chatter.join('\n')), []);
  });

  it('reads through colour codes and CRLF line ends, as the build task output has them', () => {
    const output = [
      '[1/3] Building C object esp-idf/main/CMakeFiles/__idf_main.dir/main.c.obj',
      "main/main.c:5:3: error: 'gpio_num' undeclared (first use in this function)",
      '\u001b[01m\u001b[Kmain/led.c:12:1:\u001b[m\u001b[K \u001b[01;35m\u001b[Kwarning: \u001b[m\u001b[Kunused variable',
      'zephyr/dts.overlay:7: fatal error: no such node',
      'C:\\fw\\app.c:9:2: error: expected ;',
      'ninja: build stopped: subcommand failed.',
      'error: something without a place',
    ].join('\r\n');
    assert.deepEqual(problems(output).map(({ matcher: _, source: __, ...m }) => m), [
      { file: 'main/main.c', line: 5, column: 3, severity: 'error', message: "'gpio_num' undeclared (first use in this function)" },
      { file: 'main/led.c', line: 12, column: 1, severity: 'warning', message: 'unused variable' },
      { file: 'C:\\fw\\app.c', line: 9, column: 2, severity: 'error', message: 'expected ;' },
      { file: 'zephyr/dts.overlay', line: 7, severity: 'error', message: 'no such node' },
    ]);
  });
});
