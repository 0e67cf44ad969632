import * as assert from 'node:assert/strict';
import { evaluatePreconditions } from '../../../src/core/http/conditional';

const etag = '"abc"';
const mtime = new Date('2026-12-01T10:00:00.500Z');
const at = (iso: string) => new Date(iso).toUTCString();

describe('RFC 9110 preconditions', () => {
  it('If-None-Match: a match (weak comparison, in a list, or *) is 304 for GET/HEAD and 412 otherwise', () => {
    assert.equal(evaluatePreconditions('GET', { ifNoneMatch: '"abc"' }, etag, mtime), 'not-modified');
    assert.equal(evaluatePreconditions('HEAD', { ifNoneMatch: '"x", W/"abc"' }, etag, mtime), 'not-modified');
    assert.equal(evaluatePreconditions('GET', { ifNoneMatch: '*' }, etag, mtime), 'not-modified');
    assert.equal(evaluatePreconditions('GET', { ifNoneMatch: '"other"' }, etag, mtime), 'proceed');
    assert.equal(evaluatePreconditions('DELETE', { ifNoneMatch: '"abc"' }, etag, mtime), 'failed');
  });

  it('If-Match: strong comparison; no match or a weak tag is 412', () => {
    assert.equal(evaluatePreconditions('GET', { ifMatch: '"abc"' }, etag, mtime), 'proceed');
    assert.equal(evaluatePreconditions('GET', { ifMatch: '"x" , "abc"' }, etag, mtime), 'proceed');
    assert.equal(evaluatePreconditions('GET', { ifMatch: '*' }, etag, mtime), 'proceed');
    assert.equal(evaluatePreconditions('GET', { ifMatch: '"other"' }, etag, mtime), 'failed');
    assert.equal(evaluatePreconditions('GET', { ifMatch: 'W/"abc"' }, etag, mtime), 'failed');
  });

  it('dates at one-second resolution, and each is ignored when its tag header is there or it is not a date', () => {
    assert.equal(evaluatePreconditions('GET', { ifModifiedSince: at('2026-12-01T10:00:00Z') }, etag, mtime), 'not-modified');
    assert.equal(evaluatePreconditions('GET', { ifModifiedSince: at('2026-12-01T09:59:59Z') }, etag, mtime), 'proceed');
    assert.equal(evaluatePreconditions('GET', { ifModifiedSince: 'yesterday' }, etag, mtime), 'proceed');
    assert.equal(evaluatePreconditions('GET', { ifNoneMatch: '"other"', ifModifiedSince: at('2026-12-02T00:00:00Z') }, etag, mtime), 'proceed', 'If-None-Match wins');
    assert.equal(evaluatePreconditions('GET', { ifUnmodifiedSince: at('2026-12-01T09:00:00Z') }, etag, mtime), 'failed');
    assert.equal(evaluatePreconditions('GET', { ifUnmodifiedSince: at('2026-12-01T10:00:00Z') }, etag, mtime), 'proceed');
    assert.equal(evaluatePreconditions('GET', { ifMatch: '"abc"', ifUnmodifiedSince: at('2026-12-01T09:00:00Z') }, etag, mtime), 'proceed', 'If-Match wins');
  });
});
