import type { ChunkOptions } from '../files/readChunks';
import { readChunks } from '../files/readChunks';
import { ParallelStreamDigests } from './parallelStreamDigests';
import type { Digests } from './streamDigests';

/** MD5 + SHA-256 (+ HMAC) of a file in one streamed read, MD5 on the second core. */
export async function digestFile(path: string, options: ChunkOptions & { hmacSecret?: Buffer } = {}): Promise<Digests> {
  const digests = new ParallelStreamDigests(options.hmacSecret);
  try {
    for await (const chunk of readChunks(path, options)) await digests.update(chunk);
  } catch (err) {
    digests.abandon();
    throw err;
  }
  return digests.finish();
}
