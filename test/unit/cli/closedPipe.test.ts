import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cliMain } from '../../helpers/runCli';

describe('ota writing into a pipe whose reader left (ota … | head -1)', () => {
  it('stops quietly with exit 141 instead of an unhandled EPIPE stack', async () => {
    const child = spawn(process.execPath, [cliMain, 'completion', 'zsh'], { stdio: ['ignore', 'pipe', 'pipe'] });
    // The reader is gone before the first write: that write fails with EPIPE, whatever its size.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    assert.equal(code, 141, stderr);
    assert.doesNotMatch(stderr, /EPIPE|Unhandled/);
  });
});
