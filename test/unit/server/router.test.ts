import * as assert from 'node:assert/strict';
import type { RouteHandler } from '../../../src/server/http/router';
import { Router } from '../../../src/server/http/router';

describe('Router', () => {
  const image: RouteHandler = () => undefined;
  const upload: RouteHandler = () => undefined;
  const router = new Router().on(['GET', 'HEAD'], '/fw/:release/:file', image).on('POST', '/fw/:release/upload', upload);

  it('matches a path again from what it kept, with the same answer for each method', () => {
    const first = router.match('GET', '/fw/r1/fw.bin');
    assert.deepEqual(first, { kind: 'found', handler: image, params: { release: 'r1', file: 'fw.bin' } });
    assert.equal(router.match('GET', '/fw/r1/fw.bin'), first, 'the kept match');
    assert.deepEqual(router.match('HEAD', '/fw/r1/fw.bin'), first);
    // Another method on a path kept for GET is judged on its own.
    assert.deepEqual(router.match('DELETE', '/fw/r1/fw.bin'), { kind: 'method', allowed: ['GET', 'HEAD'] });
    assert.deepEqual(router.match('POST', '/fw/r1/upload'), { kind: 'found', handler: upload, params: { release: 'r1' } });
  });

  it('hands out read-only parameters, since requests for the same path share them', () => {
    const match = router.match('GET', '/fw/r2/fw.bin');
    assert.equal(match.kind, 'found');
    assert.throws(() => {
      (match as { params: Record<string, string> }).params.release = 'other';
    }, TypeError);
    assert.deepEqual(router.match('GET', '/fw/r2/fw.bin'), { kind: 'found', handler: image, params: { release: 'r2', file: 'fw.bin' } });
  });

  it('still refuses traversal and bad escapes however often they are asked, and stays right past its bound', () => {
    for (let i = 0; i < 3; i++) {
      for (const path of ['/fw/../fw.bin', '/fw/%2e%2e/fw.bin', '/fw/a%2Fb/fw.bin', '/fw/%zz/fw.bin', '/fw//fw.bin']) assert.deepEqual(router.match('GET', path), { kind: 'none' }, path);
    }
    // Many made-up paths (more than it keeps), then the first again: decoded afresh, same answer.
    for (let i = 0; i < 1000; i++) router.match('GET', `/fw/made-up-${i}/fw.bin`);
    assert.deepEqual(router.match('GET', '/fw/made-up-0/fw.bin'), { kind: 'found', handler: image, params: { release: 'made-up-0', file: 'fw.bin' } });
    assert.deepEqual(router.match('GET', '/fw/caf%C3%A9/fw.bin'), { kind: 'found', handler: image, params: { release: 'café', file: 'fw.bin' } });
  });
});
