import { Worker } from 'node:worker_threads';

/**
 * The worker's whole program, inline so it survives bundling into dist/cli.js and
 * dist/extension.js (a separate worker file would not be next to the bundle). It hashes each
 * transferred buffer and hands the same buffer back, so no memory is allocated per chunk.
 */
const workerSource = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const sessions = new Map();
parentPort.on('message', (m) => {
  if (m.type === 'start') sessions.set(m.id, createHash(m.algorithm));
  else if (m.type === 'data') {
    sessions.get(m.id).update(new Uint8Array(m.buffer, 0, m.length));
    parentPort.postMessage({ type: 'ack', id: m.id, buffer: m.buffer }, [m.buffer]);
  } else if (m.type === 'end') {
    const h = sessions.get(m.id);
    sessions.delete(m.id);
    parentPort.postMessage({ type: 'digest', id: m.id, digest: h ? h.digest('hex') : '' });
  }
});
`;

/** Transfer buffers per stream: at most this many chunks wait in the worker (memory stays at 4 MiB). */
const buffersPerStream = 4;
const bufferSize = 1 << 20;

interface Session {
  free: ArrayBuffer[];
  wakeUp?: () => void;
  onDigest?: (hex: string) => void;
  onError?: (err: Error) => void;
}

let worker: Worker | undefined;
let nextId = 1;
const sessions = new Map<number, Session>();

function getWorker(): Worker {
  if (!worker) {
    const w = new Worker(workerSource, { eval: true });
    worker = w;
    w.unref();
    w.on('message', (m: { type: 'ack' | 'digest'; id: number; buffer?: ArrayBuffer; digest?: string }) => {
      const session = sessions.get(m.id);
      if (!session) return;
      if (m.type === 'ack') {
        session.free.push(m.buffer!);
        session.wakeUp?.();
      } else {
        close(m.id);
        session.onDigest?.(m.digest!);
      }
    });
    w.on('error', (err) => {
      if (worker === w) worker = undefined;
      for (const [id, session] of sessions) {
        close(id);
        session.onError?.(err);
        session.wakeUp?.();
      }
    });
  }
  return worker;
}

/** Whether the worker thread is already up (a long-running process: the editor, the server). */
export function hashWorkerRunning(): boolean {
  return worker !== undefined;
}

/** While a stream is being hashed the worker keeps the process alive; idle, it must not. */
function open(id: number, session: Session): Worker {
  const w = getWorker();
  sessions.set(id, session);
  w.ref();
  return w;
}

function close(id: number): void {
  sessions.delete(id);
  if (sessions.size === 0) worker?.unref();
}

/**
 * A hash computed on the second core: the reader keeps hashing SHA-256 (and HMAC) on the main
 * thread while this one (MD5, the slowest) runs in parallel. Each chunk is copied into one of a
 * few transfer buffers that travel to the worker and back; waiting for a free one is the
 * backpressure that keeps a fast reader from queueing the whole image.
 */
export class WorkerHash {
  private readonly id = nextId++;
  private readonly session: Session = { free: Array.from({ length: buffersPerStream }, () => new ArrayBuffer(bufferSize)) };
  private readonly worker: Worker;
  private failure: Error | undefined;

  constructor(algorithm: string) {
    this.session.onError = (err) => (this.failure = err);
    this.worker = open(this.id, this.session);
    this.worker.postMessage({ type: 'start', id: this.id, algorithm });
  }

  /** Resolves once the bytes are copied out, after which the caller may reuse `chunk`. */
  async update(chunk: Uint8Array): Promise<void> {
    for (let offset = 0; offset < chunk.length; offset += bufferSize) {
      while (this.session.free.length === 0 && !this.failure) {
        await new Promise<void>((resolve) => (this.session.wakeUp = resolve));
      }
      if (this.failure) throw this.failure;
      const buffer = this.session.free.pop()!;
      const part = chunk.subarray(offset, offset + bufferSize);
      new Uint8Array(buffer, 0, part.length).set(part);
      this.worker.postMessage({ type: 'data', id: this.id, buffer, length: part.length }, [buffer]);
    }
  }

  digest(): Promise<string> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.session.onDigest = resolve;
      this.session.onError = reject;
      this.worker.postMessage({ type: 'end', id: this.id });
    });
  }

  /** Stops a stream that will not be finished (an error or cancellation in the reader). */
  abandon(): void {
    if (!sessions.has(this.id)) return;
    close(this.id);
    this.worker.postMessage({ type: 'end', id: this.id });
  }
}
