import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OtaError } from '../../../src/core/errors';
import { exited, spawnServer } from './helpers/child';
import { runCli } from '../../helpers/runCli';
import { request } from './helpers/http';
import { removeDir, sha256, start, tempDir } from './helpers/server';

/** A management call to a server running in a child process, with the token it wrote to its data folder. */
async function call(url: string, dir: string, method: string, path: string, body?: Buffer | object, headers: Record<string, string> = {}) {
  const token = (await readFile(join(dir, 'token'), 'utf8')).trim();
  const raw = body === undefined || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  return request(url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(raw !== undefined && !Buffer.isBuffer(body) ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(raw !== undefined ? { body: raw } : {}),
  });
}

describe('one server per data folder', () => {
  it('refuses a second ota serve on a held folder, naming pid and port, while the first keeps its upload in flight', async () => {
    const dir = await tempDir('ota-lock-');
    const first = await spawnServer(['--data', dir]);
    try {
      const port = Number(new URL(first.url).port);
      // An upload the first server is in the middle of: its .part file is what a second
      // server's start-up would have deleted as an orphan.
      const data = randomBytes(64 * 1024);
      const begin = await call(first.url, dir, 'POST', '/api/v1/uploads', { filename: 'fw.bin', pid: 'P', fwKey: 'K', channel: 'main', label: '1.0.0', size: data.length, sha256: sha256(data) });
      assert.equal(begin.status, 201, begin.body.toString());
      const id = (JSON.parse(begin.body.toString()) as { id: string }).id;
      const half = await call(first.url, dir, 'PUT', `/api/v1/uploads/${id}`, data.subarray(0, 32 * 1024), { 'upload-offset': '0', 'content-type': 'application/octet-stream' });
      assert.equal(half.status, 200, half.body.toString());
      const journalBefore = await stat(join(dir, 'journal.log'));

      const second = await runCli(['serve', '--data', dir, '--port', '0']);
      assert.equal(second.code, 1, second.stdout + second.stderr);
      assert.match(second.stderr, new RegExp(`the data folder .* is in use by another OTA server: pid ${first.child.pid}, port ${port} \\(http://127\\.0\\.0\\.1:${port}\\)`));
      assert.match(second.stderr, /Stop that server first, or give this one its own folder \(ota serve --data DIR\)/);
      assert.doesNotMatch(second.stdout, /listening/);

      // Nothing of the first server's was touched, and it carries on.
      assert.equal((await stat(join(dir, 'journal.log'))).ino, journalBefore.ino, 'the journal was not rewritten');
      assert.equal((await stat(join(dir, 'uploads', `${id}.part`))).size, 32 * 1024);
      const rest = await call(first.url, dir, 'PUT', `/api/v1/uploads/${id}`, data.subarray(32 * 1024), { 'upload-offset': String(32 * 1024), 'content-type': 'application/octet-stream' });
      assert.equal(rest.status, 200, rest.body.toString());
      const done = await call(first.url, dir, 'POST', `/api/v1/uploads/${id}/complete`);
      assert.equal(done.status, 201, done.body.toString());
    } finally {
      first.child.kill('SIGINT');
      await exited(first.child);
      await removeDir(dir);
    }
  });

  it('takes over the lock of a server killed with SIGKILL', async () => {
    const dir = await tempDir('ota-lock-');
    try {
      const first = await spawnServer(['--data', dir]);
      const begin = await call(first.url, dir, 'POST', '/api/v1/uploads', { filename: 'fw.bin', pid: 'P', fwKey: 'K', channel: 'main', label: '1.0.0', size: 3, sha256: sha256(Buffer.from('abc')) });
      assert.equal(begin.status, 201);
      first.child.kill('SIGKILL');
      await exited(first.child);
      const stale = JSON.parse(await readFile(join(dir, 'server.lock'), 'utf8')) as { pid: number };
      assert.equal(stale.pid, first.child.pid, 'kill -9 leaves the lock behind');

      const next = await spawnServer(['--data', dir]);
      try {
        const lock = JSON.parse(await readFile(join(dir, 'server.lock'), 'utf8')) as { pid: number; port: number };
        assert.deepEqual([lock.pid, lock.port], [next.child.pid, Number(new URL(next.url).port)]);
        const status = await call(next.url, dir, 'GET', '/api/v1/status');
        assert.equal(status.status, 200);
        // Written before it listened; by now its stderr has surely arrived too.
        assert.match(next.output(), new RegExp(`took over the lock of a server that is gone \\(pid ${first.child.pid},`));
      } finally {
        next.child.kill('SIGINT');
        assert.equal(await exited(next.child), 0);
      }
      await assert.rejects(stat(join(dir, 'server.lock')), /ENOENT/, 'a server that stops cleanly removes its lock');
    } finally {
      await removeDir(dir);
    }
  });

  it('holds for the embedded server too (startServer), and frees the folder on close', async () => {
    const dir = await tempDir('ota-lock-');
    try {
      const first = await start(dir);
      await assert.rejects(start(dir), (err: unknown) => err instanceof OtaError && err.code === 'data-dir-locked' && err.message.includes(`pid ${process.pid}, port ${first.port}`));
      await first.close(0);
      const again = await start(dir);
      await again.close(0);
    } finally {
      await removeDir(dir);
    }
  });

  it('refuses a lock file it cannot read instead of guessing, and says what to do', async () => {
    const dir = await tempDir('ota-lock-');
    try {
      await writeFile(join(dir, 'server.lock'), 'not json');
      await assert.rejects(start(dir), (err: unknown) => err instanceof OtaError && err.code === 'data-dir-lock-invalid' && err.where === join(dir, 'server.lock') && /delete the file/.test(err.hint ?? ''));
    } finally {
      await removeDir(dir);
    }
  });
});
