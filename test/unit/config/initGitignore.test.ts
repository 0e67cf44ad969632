import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureGitignored } from '../../../src/core/init/gitignore';
import { initWorkspace } from '../../../src/core/init/writeStarter';

describe('ota init keeps .ota/ out of git', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ota-gitignore-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });
  const gitignore = () => fs.readFile(path.join(dir, '.gitignore'), 'utf8');

  it('creates .gitignore with .ota/ when there is none, and a second init changes nothing', async () => {
    await fs.writeFile(path.join(dir, 'Makefile'), 'all:\n');
    const first = await initWorkspace(dir);
    assert.deepEqual(first.gitignore, { file: path.join(dir, '.gitignore'), added: true });
    assert.equal(await gitignore(), '# OTA Workbench builds and releases\n.ota/\n');
    const again = await initWorkspace(dir, { overwrite: true });
    assert.equal(again.gitignore.added, false);
    assert.equal(await gitignore(), '# OTA Workbench builds and releases\n.ota/\n');
  });

  it('appends after existing entries, adding the missing final newline first', async () => {
    await fs.writeFile(path.join(dir, '.gitignore'), 'build/\n*.o');
    assert.equal((await ensureGitignored(dir)).added, true);
    assert.equal(await gitignore(), 'build/\n*.o\n# OTA Workbench builds and releases\n.ota/\n');
  });

  it('keeps CRLF files CRLF', async () => {
    await fs.writeFile(path.join(dir, '.gitignore'), 'build/\r\n');
    await ensureGitignored(dir);
    assert.equal(await gitignore(), 'build/\r\n# OTA Workbench builds and releases\r\n.ota/\r\n');
  });

  for (const line of ['.ota', '.ota/', '/.ota/', '/.ota', '.ota/**', '**/.ota/', '  .ota/  ']) {
    it(`leaves a .gitignore that already has "${line}" untouched`, async () => {
      const text = `node_modules/\n${line}\n`;
      await fs.writeFile(path.join(dir, '.gitignore'), text);
      assert.equal((await ensureGitignored(dir)).added, false);
      assert.equal(await gitignore(), text);
    });
  }

  it('a commented-out or negated entry does not count', async () => {
    await fs.writeFile(path.join(dir, '.gitignore'), '# .ota/\n!.ota/\n');
    assert.equal((await ensureGitignored(dir)).added, true);
  });
});
