/** Something to release: a listener, a connection, a timer. */
export interface Disposable {
  dispose(): void;
}

/**
 * A minimal typed event: `event(listener)` subscribes and returns the way to unsubscribe, the
 * shape the extension's `onDidX` handlers expect. A throwing listener must not starve the others.
 */
export class Emitter<T> {
  private readonly listeners = new Set<(value: T) => void>();

  readonly event = (listener: (value: T) => void): Disposable => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch {
        // A broken subscriber is its own problem; the serial reader and the other views go on.
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}
