import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The problem matchers package.json contributes, applied the way VS Code applies them (each
 * pattern's regexp to one line, groups by index), to lines real toolchains print.
 */
interface Pattern {
  regexp: string;
  file?: number;
  line?: number;
  column?: number;
  severity?: number;
  message?: number;
}
interface Matcher {
  name: string;
  severity?: string;
  pattern: Pattern | Pattern[];
}

const packageJson = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8')) as { contributes: { problemMatchers: Matcher[] } };
const matchers = new Map(packageJson.contributes.problemMatchers.map((m) => [m.name, m]));

interface Found {
  matcher: string;
  file: string;
  line: number;
  column?: number;
  severity: string;
  message: string;
}

/** Runs every matcher over the output; multi-line patterns must match on consecutive lines. */
function problems(output: string): Found[] {
  const lines = output.split('\n');
  const found: Found[] = [];
  for (const [name, m] of matchers) {
    const patterns = Array.isArray(m.pattern) ? m.pattern : [m.pattern];
    for (let i = 0; i + patterns.length <= lines.length; i++) {
      const groups = patterns.map((p, k) => new RegExp(p.regexp).exec(lines[i + k]!));
      if (groups.some((g) => !g)) continue;
      const pick = (key: keyof Pattern) => {
        for (const [k, p] of patterns.entries()) if (typeof p[key] === 'number') return groups[k]![p[key] as number];
        return undefined;
      };
      const column = pick('column');
      found.push({ matcher: name, file: pick('file')!, line: Number(pick('line')), ...(column ? { column: Number(column) } : {}), severity: (pick('severity') ?? m.severity ?? 'error').toLowerCase(), message: pick('message')! });
    }
  }
  return found;
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
});
