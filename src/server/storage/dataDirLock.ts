import { randomBytes } from 'node:crypto';
import { link, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { OtaError } from '../../core/errors';
import type { Logger } from '../../core/logger';

/** What a lock file says about the server holding the data folder. */
export interface LockHolder {
  pid: number;
  hostname: string;
  /** When it took the lock (ISO 8601). */
  since: string;
  /** Set once the holder listens; absent while it is still starting. */
  port?: number;
  url?: string;
  /** Tells one holder's lock from another's with the same pid (a pid is reused after a reboot). */
  nonce: string;
}

const lockName = 'server.lock';
/** Rounds of "create, or take over a stale lock" before giving up: only a crowd of racing starts needs more than two. */
const maxAttempts = 5;

/**
 * The one server allowed to use a data folder. A second server on the same folder would replay
 * the journal while the first appends to it, compact it by rename under the first one's feet and
 * delete the uploads it has in flight as "orphans". So `startServer` (behind both `ota serve` and
 * the editor's embedded server) holds this lock from before it reads the folder until it closed it.
 *
 * The lock is a file created with `link` (it appears whole or not at all, and only one creator
 * wins). A lock whose process is gone (`kill -9`, a crash, a power cut) is stale and taken over:
 * it is renamed aside, and the renamed file is checked to be the stale one that was examined, so
 * two servers taking over at once cannot both win.
 */
export class DataDirLock {
  private released = false;

  private constructor(
    readonly path: string,
    private holder: LockHolder,
    private readonly log: Logger,
  ) {}

  static async acquire(dataDir: string, log: Logger): Promise<DataDirLock> {
    const path = join(dataDir, lockName);
    const holder: LockHolder = { pid: process.pid, hostname: hostname(), since: new Date().toISOString(), nonce: randomBytes(8).toString('hex') };
    const temp = `${path}.${holder.nonce}.tmp`;
    await writeFile(temp, JSON.stringify(holder) + '\n', { flag: 'wx', mode: 0o644 });
    try {
      for (let attempt = 0; attempt < maxAttempts; attempt++) {
        try {
          await link(temp, path);
          return new DataDirLock(path, holder, log);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        }
        const current = await readHolder(path);
        if (current === undefined) continue; // released between our link and our read: try again
        if (isAlive(current)) throw lockedError(dataDir, path, current);
        await takeOver(path, current, log);
      }
      throw new OtaError(`could not take the lock on the data folder ${dataDir}: other servers keep taking it`, {
        where: path,
        hint: 'Several servers are starting on this folder at once; start one.',
        code: 'data-dir-locked',
      });
    } finally {
      await unlink(temp).catch(() => undefined);
    }
  }

  /** Records where the holder listens, so a refused second server can say which one to stop. */
  async setAddress(port: number, url: string): Promise<void> {
    if (this.released) return;
    this.holder = { ...this.holder, port, url };
    const temp = `${this.path}.${this.holder.nonce}.tmp`;
    await writeFile(temp, JSON.stringify(this.holder) + '\n', { mode: 0o644 });
    // A rename replaces the lock whole: a reader sees the old content or the new, never half.
    await rename(temp, this.path);
  }

  /** Removes the lock, if it is still ours. Safe to call more than once. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    const current = await readHolder(this.path);
    if (current?.nonce !== this.holder.nonce) {
      this.log.warn(`${this.path}: the data folder lock is no longer this server's (${current ? `pid ${current.pid} holds it` : 'it is gone'}); leaving it`);
      return;
    }
    await unlink(this.path).catch(() => undefined);
  }
}

async function readHolder(path: string): Promise<LockHolder | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockHolder>;
    if (typeof parsed.pid === 'number' && typeof parsed.nonce === 'string' && typeof parsed.hostname === 'string') return parsed as LockHolder;
  } catch {
    // fall through: not ours to read
  }
  throw new OtaError('the data folder lock is not one an OTA server wrote', {
    where: path,
    hint: 'If no OTA server uses this folder, delete the file and start again.',
    code: 'data-dir-lock-invalid',
  });
}

/**
 * Whether the holder may still be running. A lock from another machine (a folder on a network
 * share) cannot be checked, so it counts as held.
 */
function isAlive(holder: LockHolder): boolean {
  if (holder.hostname !== hostname()) return true;
  if (holder.pid === process.pid) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

async function takeOver(path: string, stale: LockHolder, log: Logger): Promise<void> {
  const aside = `${path}.stale-${randomBytes(6).toString('hex')}`;
  try {
    await rename(path, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // someone else moved it first
    throw err;
  }
  const moved = await readHolder(aside).catch(() => undefined);
  if (moved?.nonce === stale.nonce) {
    await unlink(aside).catch(() => undefined);
    log.warn(`${path}: took over the lock of a server that is gone (pid ${stale.pid}, since ${stale.since})`);
    return;
  }
  // Between our look and our rename another server took the stale lock over and made its own:
  // that one is live, so put it back (if a third got in meanwhile, its lock stands and ours is dropped).
  await link(aside, path).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}

function lockedError(dataDir: string, path: string, holder: LockHolder): OtaError {
  const where = holder.port !== undefined ? `port ${holder.port} (${holder.url ?? 'url unknown'})` : 'still starting, no port yet';
  const host = holder.hostname === hostname() ? '' : ` on ${holder.hostname}`;
  return new OtaError(`the data folder ${dataDir} is in use by another OTA server: pid ${holder.pid}${host}, ${where}, since ${holder.since}`, {
    where: path,
    hint: `Stop that server first, or give this one its own folder (ota serve --data DIR). If no such process runs, delete ${path}.`,
    code: 'data-dir-locked',
  });
}
