import * as assert from 'node:assert/strict';
import { releaseLabelProblem, suggestReleaseLabel } from '../../../src/core/version/releaseLabel';

describe('release label pre-fill', () => {
  it('offers the version inside the image first, so label and embedded version agree', () => {
    assert.equal(suggestReleaseLabel({ embedded: '1.4.0', channelLabel: '1.3.9', released: ['1.3.9'] }), '1.4.0');
  });

  it('falls back to the channel version source when the image has no semver inside', () => {
    assert.equal(suggestReleaseLabel({ embedded: 'qa-test-v5.0-20220830-4-g4532e6', channelLabel: '2.0.0', released: [] }), '2.0.0');
    assert.equal(suggestReleaseLabel({ channelLabel: '2.0.0', released: [] }), '2.0.0');
  });

  it('when the candidates are released already, offers the next patch above everything released', () => {
    assert.equal(suggestReleaseLabel({ embedded: '1.0.0', channelLabel: '1.0.0', released: ['1.0.0', '1.0.3', '0.9.0'] }), '1.0.4');
    assert.equal(suggestReleaseLabel({ released: [] }), '1.0.0');
  });

  it('says why a typed label cannot be used', () => {
    assert.equal(releaseLabelProblem('  ', []), 'empty');
    assert.equal(releaseLabelProblem('v1', []), 'not-semver');
    assert.equal(releaseLabelProblem('1.0.0', ['1.0.0']), 'exists');
    assert.equal(releaseLabelProblem('1.0.1', ['1.0.0']), undefined);
  });
});
