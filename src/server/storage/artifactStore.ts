import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rm, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { OtaError } from '../../core/errors';
import { moveDurably, syncDir } from '../../core/files/atomicOutput';
import type { Logger } from '../../core/logger';
import { silentLogger } from '../../core/logger';
import { ArtifactCache } from './artifactCache';

export interface Digests {
  size: number;
  sha256: string;
  md5: string;
  sha1: string;
}

const diskFullCodes = new Set(['ENOSPC', 'EFBIG', 'EDQUOT']);

/**
 * Artifacts stored by content: `artifacts/<sha256>`. Uploads grow in `uploads/<id>.part` and only
 * become artifacts through fsync → rename → fsync(dir), so a crash leaves either the old state
 * or the complete new file, never a partial artifact under its final name.
 */
export class ArtifactStore {
  readonly artifactsDir: string;
  readonly uploadsDir: string;
  readonly cache: ArtifactCache;

  constructor(
    readonly root: string,
    log: Logger = silentLogger,
  ) {
    this.cache = new ArtifactCache(undefined, undefined, (key, actual, path) =>
      log.error(`artifact ${path} no longer matches its sha256 (expected ${key}, found ${actual}): refusing to serve it; upload the release again`),
    );
    this.artifactsDir = join(root, 'artifacts');
    this.uploadsDir = join(root, 'uploads');
  }

  async init(): Promise<void> {
    await mkdir(this.artifactsDir, { recursive: true });
    await mkdir(this.uploadsDir, { recursive: true });
  }

  artifactPath(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new OtaError(`not a sha256: ${sha256}`);
    return join(this.artifactsDir, sha256);
  }

  private partPath(uploadId: string): string {
    if (!/^[0-9a-f]{16,64}$/.test(uploadId)) throw new OtaError(`not an upload id: ${uploadId}`);
    return join(this.uploadsDir, `${uploadId}.part`);
  }

  async createUpload(uploadId: string): Promise<void> {
    const h = await open(this.partPath(uploadId), 'a');
    await h.close();
  }

  /** Bytes stored so far; after a crash this is what the client resumes from. */
  async uploadOffset(uploadId: string): Promise<number> {
    try {
      return (await stat(this.partPath(uploadId))).size;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new OtaError(`upload ${uploadId} has no data file`, { code: 'not-found' });
      throw err;
    }
  }

  /**
   * Appends `body` at `offset` (which must be the stored size) up to `limit` more bytes. A body
   * longer than `limit` is refused with code `too-large`; a full disk with code `disk-full`. In
   * both cases the file is cut back to `offset`. A client that hangs up keeps what arrived.
   */
  async appendChunk(uploadId: string, offset: number, body: Readable, limit: number): Promise<number> {
    const path = this.partPath(uploadId);
    const current = await this.uploadOffset(uploadId);
    if (current !== offset) {
      throw new OtaError(`upload ${uploadId} is at offset ${current}, not ${offset}`, { code: 'offset-mismatch', hint: `resume with Upload-Offset: ${current}` });
    }
    let received = 0;
    const limiter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        received += chunk.length;
        if (received > limit) done(new OtaError(`upload ${uploadId} is larger than its manifest says (more than ${offset + limit} bytes)`, { code: 'too-large' }));
        else done(null, chunk);
      },
    });
    // flush: the acknowledged offset must survive a power cut, not only a crash of this process.
    const out = createWriteStream(path, { flags: 'r+', start: offset, flush: true });
    try {
      await pipeline(body, limiter, out);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (err instanceof OtaError || (code !== undefined && diskFullCodes.has(code))) {
        await truncate(path, offset).catch(() => undefined);
        if (err instanceof OtaError) throw err;
        throw new OtaError(`no space left to store upload ${uploadId} (${code})`, {
          code: 'disk-full',
          where: this.root,
          hint: 'free disk space in the server data directory (or raise its size limit), then resume the upload',
          cause: err,
        });
      }
      // The client went away: keep the bytes that made it, the next chunk resumes from there.
    }
    return this.uploadOffset(uploadId);
  }

  /** fsyncs the finished upload and hashes it (from the disk, after a crash or resume alike). */
  async hashUpload(uploadId: string): Promise<Digests> {
    const path = this.partPath(uploadId);
    const h = await open(path, 'r');
    try {
      await h.sync();
    } finally {
      await h.close();
    }
    return hashFile(path);
  }

  /** Moves a hashed upload to its content address; durable when this resolves. */
  async commitUpload(uploadId: string, sha256: string): Promise<void> {
    await moveDurably(this.partPath(uploadId), this.artifactPath(sha256));
  }

  async discardUpload(uploadId: string): Promise<void> {
    await rm(this.partPath(uploadId), { force: true });
  }

  async removeArtifact(sha256: string): Promise<void> {
    this.cache.forget(sha256);
    await rm(this.artifactPath(sha256), { force: true });
    await syncDir(this.artifactsDir);
  }

  /** Content addresses on disk (for collecting artifacts no release refers to). */
  async listArtifacts(): Promise<string[]> {
    return (await readdir(this.artifactsDir)).filter((n) => /^[0-9a-f]{64}$/.test(n));
  }

  /** Upload files with no journal entry (a crash between create and acknowledge) can go. */
  async listUploads(): Promise<string[]> {
    return (await readdir(this.uploadsDir)).filter((n) => n.endsWith('.part')).map((n) => n.slice(0, -5));
  }
}

export async function hashFile(path: string): Promise<Digests> {
  const sha256 = createHash('sha256');
  const md5 = createHash('md5');
  const sha1 = createHash('sha1');
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>) {
    sha256.update(chunk);
    md5.update(chunk);
    sha1.update(chunk);
    size += chunk.length;
  }
  return { size, sha256: sha256.digest('hex'), md5: md5.digest('hex'), sha1: sha1.digest('hex') };
}

