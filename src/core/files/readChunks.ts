import { open } from 'node:fs/promises';
import { OtaError } from '../errors';
import type { ProgressCallback } from '../logger';
import { unreadable } from '../image/readImageFile';

/** 1 MiB: large enough that per-read overhead vanishes, small enough to keep memory flat. */
export const defaultChunkSize = 1 << 20;

export interface ChunkOptions {
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
  chunkSize?: number;
  /** Start reading here (bytes before it are skipped). */
  start?: number;
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw signal.reason instanceof OtaError ? signal.reason : new OtaError('cancelled', { code: 'cancelled' });
  }
}

/** Buffers the reader rotates through: one being read ahead, one being hashed, one being written. */
const ringSize = 3;

/**
 * Yields a file's bytes in order through a small ring of reused buffers, reading the next chunk
 * while the caller works on the current one. A chunk stays valid until the caller has asked for
 * two more, which lets a consumer keep one write in flight while it hashes the next chunk; memory
 * stays at three chunks however large the image is.
 */
export async function* readChunks(path: string, options: ChunkOptions = {}): AsyncGenerator<Buffer> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    throw unreadable(path, err);
  }
  const fileHandle = handle;
  try {
    const total = (await fileHandle.stat()).size;
    const size = options.chunkSize ?? defaultChunkSize;
    const ring = Array.from({ length: ringSize }, () => Buffer.allocUnsafe(size));
    let position = options.start ?? 0;
    let slot = 0;
    const readInto = (buffer: Buffer) => {
      const at = position;
      const pending = fileHandle.read(buffer, 0, buffer.length, at);
      return pending.then(({ bytesRead }) => buffer.subarray(0, bytesRead));
    };
    let next = readInto(ring[slot]!);
    for (;;) {
      throwIfAborted(options.signal);
      const chunk = await next;
      if (chunk.length === 0) break;
      position += chunk.length;
      slot = (slot + 1) % ringSize;
      next = readInto(ring[slot]!);
      // Never leave a read-ahead unobserved if the consumer stops early.
      next.catch(() => undefined);
      yield chunk;
      options.onProgress?.({ done: position, total });
    }
  } finally {
    await fileHandle.close();
  }
}

/** The same contract over bytes already in memory (an Intel HEX file converted to binary). */
export function* bufferChunks(bytes: Buffer, options: ChunkOptions = {}): Generator<Buffer> {
  const size = options.chunkSize ?? defaultChunkSize;
  for (let position = options.start ?? 0; position < bytes.length; position += size) {
    throwIfAborted(options.signal);
    yield bytes.subarray(position, Math.min(position + size, bytes.length));
    options.onProgress?.({ done: Math.min(position + size, bytes.length), total: bytes.length });
  }
}
