import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export interface FileDigests {
  size: number;
  md5: string;
  sha1: string;
  sha256: string;
}

/** The three hashes hawkBit reports for an artifact (§2.3), in one streamed read of the file. */
export async function fileDigests(path: string, signal?: AbortSignal): Promise<FileDigests> {
  const md5 = createHash('md5');
  const sha1 = createHash('sha1');
  const sha256 = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path, signal ? { signal } : {}) as AsyncIterable<Buffer>) {
    size += chunk.length;
    md5.update(chunk);
    sha1.update(chunk);
    sha256.update(chunk);
  }
  return { size, md5: md5.digest('hex'), sha1: sha1.digest('hex'), sha256: sha256.digest('hex') };
}
