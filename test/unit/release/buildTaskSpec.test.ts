import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { buildTaskSpec } from '../../../src/core/build/buildTaskSpec';
import type { Channel } from '../../../src/core/config/model';
import { OtaError } from '../../../src/core/errors';

const channel: Channel = {
  name: 'main',
  pid: 'p1',
  firmwareKey: 'k',
  format: 'esp-idf',
  build: { command: 'idf.py build', cwd: 'fw', env: { IDF_TARGET: 'esp32s2', TOKEN: '${env:CI_TOKEN}' } },
  artifact: 'build/x.bin',
  version: { source: 'image' },
};

describe('build task spec', () => {
  it('gives the channel build as command, cwd in the workspace and expanded env', () => {
    const spec = buildTaskSpec(channel, '/ws', { CI_TOKEN: 't0k' });
    assert.deepEqual(spec, { label: 'build main (p1)', command: 'idf.py build', cwd: join('/ws', 'fw'), env: { IDF_TARGET: 'esp32s2', TOKEN: 't0k' } });
  });

  it('names the env variable a task would miss, and has no task without a build', () => {
    assert.throws(() => buildTaskSpec(channel, '/ws', {}), (err: unknown) => err instanceof OtaError && /build\.env\.TOKEN/.test(err.message));
    assert.equal(buildTaskSpec({ ...channel, build: undefined }, '/ws', {}), undefined);
  });
});
