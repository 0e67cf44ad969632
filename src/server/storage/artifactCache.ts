import { readFile, stat } from 'node:fs/promises';

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
  ) {}

  get(key: string, path: string): Promise<CachedArtifact> {
    const hit = this.entries.get(key);
    if (hit) {
      // Re-insert: Map order is the LRU order.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.loading;
    }
    const entry: Entry = { loading: this.load(path), held: 0 };
    this.entries.set(key, entry);
    entry.loading.then(
      (a) => {
        if (this.entries.get(key) !== entry) return;
        entry.held = a.data?.length ?? 0;
        entry.value = a;
        this.bytes += entry.held;
        this.evict();
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
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

  private async load(path: string): Promise<CachedArtifact> {
    const st = await stat(path);
    const data = st.size <= this.maxFileBytes ? await readFile(path) : undefined;
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
