import * as assert from 'node:assert/strict';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { judgeFreshness, newestSourceFile } from '../../../src/core/build/artifactFreshness';
import { scratchDir } from '../../helpers/scratchDir';

function touch(file: string, seconds: number): void {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, 'x');
  utimesSync(file, seconds, seconds);
}

describe('artifact newer than its sources', () => {
  it('is fresh when no source is newer, equal times included, and stale when one is', () => {
    assert.deepEqual(judgeFreshness(1000, []), { fresh: true });
    assert.equal(judgeFreshness(1000, [{ path: 'a.c', mtimeMs: 999 }, { path: 'b.c', mtimeMs: 1000 }]).fresh, true);
    assert.deepEqual(judgeFreshness(1000, [{ path: 'a.c', mtimeMs: 999 }, { path: 'b.c', mtimeMs: 1001 }]), { fresh: false, newestSource: { path: 'b.c', mtimeMs: 1001 } });
  });

  it('looks at sources, not at build output, tool state, editor settings or hidden files', async () => {
    const folder = scratchDir();
    touch(join(folder, 'main', 'main.c'), 1000);
    touch(join(folder, 'version.txt'), 1500);
    touch(join(folder, 'build', 'plug.bin'), 2000);
    touch(join(folder, 'build', 'CMakeFiles', 'later.o'), 9000);
    touch(join(folder, '.ota', 'releases', 'x.json'), 9000);
    touch(join(folder, '.vscode', 'ota.json'), 9000);
    touch(join(folder, 'node_modules', 'x', 'index.js'), 9000);
    touch(join(folder, '.DS_Store'), 9000);
    const newest = await newestSourceFile(folder, join(folder, 'build', 'plug.bin'));
    assert.equal(newest?.path, join(folder, 'version.txt'));
    assert.equal(judgeFreshness(2000 * 1000, newest ? [newest] : []).fresh, true);
    // A version bump after the build makes it stale.
    touch(join(folder, 'version.txt'), 2500);
    const after = await newestSourceFile(folder, join(folder, 'build', 'plug.bin'));
    assert.equal(judgeFreshness(2000 * 1000, after ? [after] : []).fresh, false);
  });

  it('skips the folder the artifact is written to, whatever its name', async () => {
    const folder = scratchDir();
    touch(join(folder, 'src', 'main.c'), 1000);
    touch(join(folder, 'firmware-out', 'app.bin'), 2000);
    touch(join(folder, 'firmware-out', 'app.map'), 3000);
    assert.equal((await newestSourceFile(folder, join(folder, 'firmware-out', 'app.bin')))?.path, join(folder, 'src', 'main.c'));
  });
});
