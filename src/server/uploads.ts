import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { OtaError } from '../core/errors';
import { ddiDefaultPart } from '../core/protocol/ddi';
import { hasControlChars } from '../core/text/controlChars';
import type { Release, ReleaseManifest, UploadState } from '../core/protocol/management';
import type { ServerContext } from './context';
import { decodeSignedManifest, manifestFileInfo } from './signedManifest';

/**
 * Release uploads: declare the manifest, send the bytes in one or more chunks (each at the
 * offset the server reports, so a broken link resumes instead of restarting), then complete,
 * which checks size and hashes before the release exists.
 */
export class Uploads {
  /** Uploads with a chunk being written or a completion running (one writer at a time), and its end. */
  private readonly busy = new Map<string, Promise<unknown>>();

  constructor(private readonly ctx: ServerContext) {}

  private async exclusive<T>(id: string, body: () => Promise<T>): Promise<T> {
    if (this.busy.has(id)) {
      throw new OtaError(`upload ${id} is busy with another request`, { code: 'conflict', hint: 'send one chunk at a time; ask GET /api/v1/uploads/{id} for the offset once it is done' });
    }
    const running = body();
    this.busy.set(id, running.catch(() => undefined));
    try {
      return await running;
    } finally {
      this.busy.delete(id);
    }
  }

  /**
   * The offset to resume from, as `GET uploads/{id}` reports it. A client whose link was cut asks
   * at once, while the server may still be writing what it had received of the cut chunk: wait
   * for that writer, or the offset grows under the client's next chunk (409).
   */
  async settledState(id: string): Promise<UploadState> {
    await this.busy.get(id);
    return this.state(id);
  }

  async begin(body: unknown): Promise<UploadState> {
    const manifest = validateManifest(body, this.ctx.settings.maxArtifactBytes);
    const id = randomBytes(16).toString('hex');
    await this.ctx.artifacts.createUpload(id);
    await this.ctx.record({ t: 'upload', upload: { id, manifest, createdAt: new Date().toISOString() } });
    return { id, offset: 0, size: manifest.size, manifest };
  }

  async state(id: string): Promise<UploadState> {
    const upload = this.ctx.model.uploads.get(id);
    if (!upload) throw new OtaError(`no upload ${id}`, { code: 'not-found', hint: 'start a new upload' });
    let offset: number;
    try {
      offset = await this.ctx.artifacts.uploadOffset(id);
    } catch (err) {
      if (!(err instanceof OtaError) || err.code !== 'not-found') throw err;
      // Acknowledged, but the empty file's directory entry did not survive a power cut: start it again.
      await this.ctx.artifacts.createUpload(id);
      offset = 0;
    }
    return { id, offset, size: upload.manifest.size, manifest: upload.manifest };
  }

  append(id: string, offset: number, body: Readable): Promise<UploadState> {
    return this.exclusive(id, () => this.appendNow(id, offset, body));
  }

  private async appendNow(id: string, offset: number, body: Readable): Promise<UploadState> {
    const current = await this.state(id);
    const limit = current.size - offset;
    if (limit < 0) throw new OtaError(`offset ${offset} is past the declared size ${current.size}`, { code: 'offset-mismatch', hint: `resume at ${current.offset}` });
    await this.ctx.artifacts.appendChunk(id, offset, body, limit);
    return this.state(id);
  }

  complete(id: string): Promise<Release> {
    return this.exclusive(id, () => this.completeNow(id));
  }

  private async completeNow(id: string): Promise<Release> {
    const current = await this.state(id);
    const m = current.manifest;
    if (current.offset !== m.size) {
      throw new OtaError(`upload ${id} has ${current.offset} of ${m.size} bytes`, { code: 'offset-mismatch', hint: `send the rest from offset ${current.offset}` });
    }
    const digests = await this.ctx.artifacts.hashUpload(id);
    const mismatch = (['sha256', 'md5', 'sha1'] as const).find((h) => m[h] !== undefined && m[h].toLowerCase() !== digests[h]);
    if (mismatch) {
      await this.ctx.artifacts.discardUpload(id);
      await this.ctx.record({ t: 'upload.end', id });
      throw new OtaError(`${mismatch} of ${m.filename} is ${digests[mismatch]}, the manifest says ${m[mismatch]}`, {
        code: 'hash-mismatch',
        hint: 'the file changed or was corrupted on the way; upload it again',
      });
    }
    // The signed manifest must describe these bytes, or a device would refuse a good image.
    const signed = m.signedManifest === undefined ? undefined : decodeSignedManifest(m.signedManifest);
    if (signed && (signed.manifest.sha256.toLowerCase() !== digests.sha256 || signed.manifest.size !== digests.size)) {
      await this.ctx.artifacts.discardUpload(id);
      await this.ctx.record({ t: 'upload.end', id });
      throw new OtaError(`the signed manifest describes an image of ${signed.manifest.size} bytes with sha256 ${signed.manifest.sha256}, but ${m.filename} is ${digests.size} bytes with sha256 ${digests.sha256}`, {
        code: 'hash-mismatch',
        hint: 'upload the manifest that was written with this image',
      });
    }
    const release: Release = {
      id: this.ctx.model.nextId(),
      pid: m.pid,
      fwKey: m.fwKey,
      channel: m.channel,
      label: m.label,
      filename: m.filename,
      size: digests.size,
      sha256: digests.sha256,
      md5: digests.md5,
      sha1: digests.sha1,
      part: m.part ?? ddiDefaultPart,
      ...(m.notes !== undefined ? { notes: m.notes } : {}),
      ...(signed ? { signedManifest: manifestFileInfo(m.filename, signed.bytes) } : {}),
      createdAt: new Date().toISOString(),
    };
    // The file goes into place and the release is recorded in one section per content: a delete
    // of another release with these bytes cannot remove the file in between (uploads.ts ↔ catalog.ts).
    await this.ctx.contentLock.run(digests.sha256, async () => {
      await this.ctx.artifacts.commitUpload(id, digests.sha256);
      await this.ctx.record({ t: 'release', release, uploadId: id, ...(signed ? { signedManifest: m.signedManifest! } : {}) });
    });
    this.ctx.events.emit('release.created', release);
    return release;
  }

  abort(id: string): Promise<void> {
    return this.exclusive(id, async () => {
      await this.state(id);
      await this.ctx.record({ t: 'upload.end', id });
      await this.ctx.artifacts.discardUpload(id);
    });
  }
}

const hashFormats = { sha256: 64, md5: 32, sha1: 40 } as const;

/** Checks a manifest from the wire; the message names the field so a 400 tells what to fix. */
export function validateManifest(body: unknown, maxBytes: number): ReleaseManifest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw bad('the manifest must be a JSON object');
  const o = body as Record<string, unknown>;
  const text = (name: string, required: boolean): string | undefined => {
    const v = o[name];
    if (v === undefined && !required) return undefined;
    if (typeof v !== 'string' || v.trim() === '') throw bad(`manifest field "${name}" must be a non-empty string`);
    if (v.length > 200) throw bad(`manifest field "${name}" is longer than 200 characters`);
    // These reach HTTP headers (x-version, Content-Disposition), logs and terminals.
    if (hasControlChars(v)) throw bad(`manifest field "${name}" holds control characters (line breaks, escape codes)`);
    return v;
  };
  const filename = text('filename', true)!;
  if (/[/\\\0]/.test(filename) || filename === '.' || filename === '..') throw bad('manifest field "filename" must be a plain file name (no path)');
  const size = o.size;
  if (typeof size !== 'number' || !Number.isInteger(size) || size <= 0) throw bad('manifest field "size" must be a positive integer (bytes)');
  if (size > maxBytes) throw new OtaError(`the image is ${size} bytes; this server takes at most ${maxBytes}`, { code: 'too-large' });
  const label = text('label', true)!;
  // Sent as Arduino's x-version header: printable ASCII only (a header cannot carry more).
  if (!/^[\x21-\x7e]+$/.test(label)) throw bad(`manifest field "label" must be printable ASCII without spaces (a version such as 1.2.3), not ${JSON.stringify(label)}`);
  const manifest: ReleaseManifest = { pid: text('pid', true)!, fwKey: text('fwKey', true)!, channel: text('channel', true)!, label, filename, size };
  for (const [name, length] of Object.entries(hashFormats) as [keyof typeof hashFormats, number][]) {
    const v = text(name, false);
    if (v === undefined) continue;
    if (!new RegExp(`^[0-9a-fA-F]{${length}}$`).test(v)) throw bad(`manifest field "${name}" must be ${length} hex digits`);
    manifest[name] = v.toLowerCase();
  }
  const part = text('part', false);
  // It goes into device JSON and URLs as is: a short token, like hawkBit's module type keys.
  if (part !== undefined && !/^[A-Za-z0-9_.-]{1,32}$/.test(part)) throw bad(`manifest field "part" must be a short name of letters, digits, '.', '_' or '-' (e.g. bApp, os, spiffs), not "${part.slice(0, 40)}"`);
  if (part !== undefined) manifest.part = part;
  const notes = o.notes;
  if (typeof notes === 'string') manifest.notes = notes.slice(0, 2000);
  if (o.signedManifest !== undefined) {
    const signed = decodeSignedManifest(o.signedManifest).manifest;
    if (manifest.sha256 !== undefined && signed.sha256.toLowerCase() !== manifest.sha256) {
      throw bad(`the signed manifest is for sha256 ${signed.sha256}, the upload declares ${manifest.sha256}`);
    }
    if (signed.size !== size) throw bad(`the signed manifest is for an image of ${signed.size} bytes, the upload declares ${size}`);
    manifest.signedManifest = o.signedManifest as string;
  }
  return manifest;
}

function bad(message: string): OtaError {
  return new OtaError(message, { code: 'bad-request' });
}
