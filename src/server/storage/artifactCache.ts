import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { OtaError } from '../../core/errors';
import { digestFile } from '../../core/hashing/digestFile';

export interface CachedArtifact {
  size: number;
  mtime: Date;
  /** The whole file, when it is small enough to keep in memory. */
  data: Buffer | undefined;
}

interface Entry {
  loading: Promise<CachedArtifact>;
  /** Bytes held in memory, once loaded. */
  held: number;
  value?: CachedArtifact;
}

/**
 * Artifacts are content-addressed and never change, so their size, mtime and (for small ones)
 * their bytes can be kept: a 4 KiB Range GET then costs no syscall besides the socket write, and
 * 2,000 devices fetching the same image share one copy. Least recently used entries go first.
 */
export class ArtifactCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(
    private readonly maxFileBytes = 8 * 1024 * 1024,
    private readonly maxTotalBytes = 64 * 1024 * 1024,
    /** Told once when a stored file no longer has its sha256. */
    private readonly onCorrupt: (key: string, actual: string, path: string) => void = () => undefined,
  ) {}

  get(key: string, path: string): Promise<CachedArtifact> {
    const hit = this.entries.get(key);
    if (hit) {
      // Re-insert: Map order is the LRU order.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.loading;
    }
    const entry: Entry = { loading: this.load(key, path), held: 0 };
    this.entries.set(key, entry);
    entry.loading.then(
      (a) => {
        if (this.entries.get(key) !== entry) return;
        entry.held = a.data?.length ?? 0;
        entry.value = a;
        this.bytes += entry.held;
        this.evict();
      },
      (err: unknown) => {
        // A changed file stays refused (no re-hash of a big file per request); other failures are retried.
        if (this.entries.get(key) === entry && !(err instanceof OtaError && err.code === 'artifact-corrupt')) this.entries.delete(key);
      },
    );
    return entry.loading;
  }

  /** The loaded entry, without waiting (undefined while loading or unknown). */
  peek(key: string): CachedArtifact | undefined {
    return this.entries.get(key)?.value;
  }

  forget(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.held;
  }

  /**
   * Reads what is served for `key` and checks it is still those bytes: a file changed on disk
   * (bit rot, a mistaken edit, tampering) would otherwise go out under its original ETag and
   * x-MD5. Held files are hashed from memory, others streamed once; the first request after a
   * start (or an eviction) waits for that.
   */
  private async load(key: string, path: string): Promise<CachedArtifact> {
    const st = await stat(path);
    const data = st.size <= this.maxFileBytes ? await readFile(path) : undefined;
    const actual = data ? createHash('sha256').update(data).digest('hex') : (await digestFile(path)).sha256;
    if (actual !== key) {
      this.onCorrupt(key, actual, path);
      throw new OtaError(`the stored bytes of artifact ${key} changed on disk (their sha256 is now ${actual}); they are not served`, {
        code: 'artifact-corrupt',
        where: path,
        hint: 'upload the release again (or restore the file from a backup)',
      });
    }
    return { size: data?.length ?? st.size, mtime: st.mtime, data };
  }

  private evict(): void {
    for (const [key, entry] of this.entries) {
      if (this.bytes <= this.maxTotalBytes) return;
      if (entry.held === 0) continue;
      this.entries.delete(key);
      this.bytes -= entry.held;
    }
  }
}
