/**
 * One critical section per key: `run(key, body)` waits for the bodies started before it on the
 * same key. Used for content-addressed artifacts, where recording a release and deleting another
 * release with the same bytes must not interleave (the delete would see no other user of the file
 * and remove bytes the new release was just acknowledged with).
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, body: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key) ?? Promise.resolve();
    const result = before.then(body, body);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await result;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
