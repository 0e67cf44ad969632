import type { ChunkOptions } from '../files/readChunks';
import { readChunks } from '../files/readChunks';
import { StreamDigests } from './streamDigests';
import type { Digests } from './streamDigests';

/** MD5 + SHA-256 (+ HMAC) of a file in one streamed read. */
export async function digestFile(path: string, options: ChunkOptions & { hmacSecret?: Buffer } = {}): Promise<Digests> {
  const digests = new StreamDigests(options.hmacSecret);
  for await (const chunk of readChunks(path, options)) digests.update(chunk);
  return digests.finish();
}
