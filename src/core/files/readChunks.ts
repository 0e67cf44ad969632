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

/**
 * Yields a file's bytes in order through one reused buffer: each chunk is only valid until the
 * consumer asks for the next one, which is what keeps a 16 MiB image from becoming 16 MiB of heap.
 */
export async function* readChunks(path: string, options: ChunkOptions = {}): AsyncGenerator<Buffer> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    throw unreadable(path, err);
  }
  try {
    const total = (await handle.stat()).size;
    const buffer = Buffer.allocUnsafe(options.chunkSize ?? defaultChunkSize);
    let position = options.start ?? 0;
    for (;;) {
      throwIfAborted(options.signal);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      yield buffer.subarray(0, bytesRead);
      options.onProgress?.({ done: position, total });
    }
  } finally {
    await handle.close();
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
