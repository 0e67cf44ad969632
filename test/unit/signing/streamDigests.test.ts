import * as assert from 'node:assert/strict';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deviceHmacSha256 } from '../../../src/core/hashing/deviceHmac';
import { digestFile } from '../../../src/core/hashing/digestFile';
import { ParallelStreamDigests } from '../../../src/core/hashing/parallelStreamDigests';
import { StreamDigests } from '../../../src/core/hashing/streamDigests';
import { scratchDir } from '../../helpers/scratchDir';

describe('one-pass digests', () => {
  const data = randomBytes(3 * 1024 * 1024 + 17);
  const secret = Buffer.from('device secret');

  it('gives the same MD5, SHA-256 and HMAC as hashing the whole buffer, reading the file in chunks', async () => {
    const path = join(scratchDir('ota-digest-'), 'fw.bin');
    writeFileSync(path, data);
    const progress: number[] = [];
    const result = await digestFile(path, { hmacSecret: secret, chunkSize: 1 << 20, onProgress: (p) => void progress.push(p.done ?? 0) });
    assert.equal(result.size, data.length);
    assert.equal(result.md5, createHash('md5').update(data).digest('hex'));
    assert.equal(result.sha256, createHash('sha256').update(data).digest('hex'));
    assert.equal(result.hmacSha256, createHmac('sha256', secret).update(data).digest('hex'));
    assert.deepEqual(progress, [1 << 20, 2 << 20, 3 << 20, data.length]);
  });

  it('can report the SHA-256 of a prefix and keep hashing', () => {
    const digests = new StreamDigests();
    digests.update(data.subarray(0, 1000));
    assert.equal(digests.sha256SoFar().toString('hex'), createHash('sha256').update(data.subarray(0, 1000)).digest('hex'));
    digests.update(data.subarray(1000));
    assert.equal(digests.finish().sha256, createHash('sha256').update(data).digest('hex'));
  });

  it('hashes MD5 on the worker thread correctly for chunks larger than its buffers and for concurrent streams', async () => {
    const a = new ParallelStreamDigests(secret);
    const b = new ParallelStreamDigests();
    await Promise.all([a.update(data), b.update(data.subarray(0, 1000))]);
    await b.update(data.subarray(1000));
    const [ra, rb] = await Promise.all([a.finish(), b.finish()]);
    const md5 = createHash('md5').update(data).digest('hex');
    assert.equal(ra.md5, md5);
    assert.equal(rb.md5, md5);
    assert.equal(ra.hmacSha256, createHmac('sha256', secret).update(data).digest('hex'));
  });

  it('hashes a small stream on this thread in a fresh process (no worker to boot), a large one on the worker, same digests', () => {
    // A fresh process, so no earlier test has started the worker already.
    const script = `
      const { ParallelStreamDigests, inlineMd5Below } = require(${JSON.stringify(require.resolve('../../../src/core/hashing/parallelStreamDigests'))});
      const { hashWorkerRunning } = require(${JSON.stringify(require.resolve('../../../src/core/hashing/hashWorker'))});
      (async () => {
        const small = Buffer.alloc(40000, 7);
        const a = new ParallelStreamDigests(undefined, small.length);
        await a.update(small);
        const before = hashWorkerRunning();
        const big = new ParallelStreamDigests(undefined, inlineMd5Below);
        await big.update(small);
        console.log(JSON.stringify({ before, after: hashWorkerRunning(), small: (await a.finish()).md5, big: (await big.finish()).md5 }));
      })();`;
    const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as { before: boolean; after: boolean; small: string; big: string };
    const md5 = createHash('md5').update(Buffer.alloc(40000, 7)).digest('hex');
    assert.deepEqual(out, { before: false, after: true, small: md5, big: md5 });
  });

  it('binds a per-device HMAC to the image digest, so each device costs 32 bytes of hashing', () => {
    const sha = createHash('sha256').update(data).digest('hex');
    const a = deviceHmacSha256(Buffer.from('device-a'), sha);
    const b = deviceHmacSha256(Buffer.from('device-b'), sha);
    assert.notEqual(a, b);
    assert.equal(a, createHmac('sha256', 'device-a').update(Buffer.from(sha, 'hex')).digest('hex'));
  });
});
